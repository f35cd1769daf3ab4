import { requestedHashAlgorithms, requestedLoadFileFormats, type ArchiveRequest, type ResolvedRequest } from './request.js';
import { batesOverflow } from './bates.js';
import { ArchivePlan } from './plan.js';
import { randomSeed } from './random.js';
import { sizePlan } from './sizing.js';

export type Resolution =
  | { ok: true; request: ResolvedRequest; plan: ArchivePlan; estimatedBytes: number }
  | { ok: false; error: { field: string; message: string } };

/** A validated request → its seed settled and its plan sized (padding for targetSize). */
export function resolveRequest(fields: ArchiveRequest): Resolution {
  // Normalised, so that spelling out a default gives the same ETag as leaving it out.
  const request: ResolvedRequest = {
    ...fields,
    fileType: fields.fileTypes ? undefined : (fields.fileType ?? 'pdf'),
    loadFileFormat: undefined,
    loadFileFormats: requestedLoadFileFormats(fields),
    hashAlgorithms: requestedHashAlgorithms(fields),
    seed: fields.seed ?? randomSeed(),
  };
  const plan = new ArchivePlan(request);
  const batesProblem = batesOverflow(plan);
  if (batesProblem) return { ok: false, error: { field: 'bates.digits', message: batesProblem } };
  const sized = sizePlan(plan);
  if (!sized.ok) return { ok: false, error: { field: 'targetSize', message: sized.message } };
  return { ok: true, request, plan: sized.plan, estimatedBytes: sized.estimatedBytes };
}
