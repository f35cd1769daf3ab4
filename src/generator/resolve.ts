import { requestedHashAlgorithms, requestedLoadFileFormats, type ArchiveRequest, type ResolvedRequest } from './request.js';
import { batesOverflow } from './bates.js';
import { ArchivePlan } from './plan.js';
import { ProductionPlan } from './production/plan.js';
import { checkSupplemental } from './production/supplemental.js';
import { randomSeed } from './random.js';
import { sizePlan } from './sizing.js';
import type { FileType } from './types.js';

export interface ResolutionError {
  field: string;
  message: string;
}

export type Resolution =
  | { ok: true; request: ResolvedRequest; plan: ArchivePlan; estimatedBytes: number; production: ProductionPlan | null }
  | { ok: false; errors: ResolutionError[] };

/** A validated request → its seed settled and its plan sized (padding for targetSize). */
export function resolveRequest(fields: ArchiveRequest): Resolution {
  // Normalised, so that spelling out a default gives the same ETag as leaving it out.
  const request: ResolvedRequest = {
    ...fields,
    fileType: fields.fileTypes ? undefined : (fields.fileType ?? 'pdf'),
    ...sourceTypes(fields),
    loadFileFormat: undefined,
    loadFileFormats: requestedLoadFileFormats(fields),
    hashAlgorithms: requestedHashAlgorithms(fields),
    seed: fields.seed ?? randomSeed(),
  };
  const plan = new ArchivePlan(request);
  const production = request.production ? new ProductionPlan(request) : null;
  if (production) {
    const problems = productionProblems(production);
    if (problems.length > 0) return { ok: false, errors: problems };
  } else {
    // Outside productions Bates numbers are per page; a production numbers documents (checked above).
    const batesProblem = batesOverflow(plan);
    if (batesProblem) return { ok: false, errors: [{ field: 'bates.digits', message: batesProblem }] };
  }
  const sized = sizePlan(plan);
  if (!sized.ok) return { ok: false, errors: [{ field: 'targetSize', message: sized.message }] };
  return { ok: true, request, plan: sized.plan, estimatedBytes: sized.estimatedBytes, production };
}

/**
 * A source-driven set's count and types are its records': its types as fileType (one) or as
 * fileTypes weighted by their counts (several, which adds the File Type column, as Zipper does
 * when a collection has more than one type).
 */
function sourceTypes(fields: ArchiveRequest): Partial<ArchiveRequest> {
  const sources = fields.sources;
  if (!sources) return {};
  const types = Object.keys(sources.typeCounts) as FileType[];
  if (types.length === 1) return { count: sources.count, fileType: types[0], fileTypes: undefined };
  return { count: sources.count, fileType: undefined, fileTypes: { ...sources.typeCounts } };
}

/** What stops a production before its first byte: Bates numbers past `digits`, supplemental ranges. */
function productionProblems(production: ProductionPlan): ResolutionError[] {
  const errors: ResolutionError[] = [];
  const overflow = production.batesOverflow();
  if (overflow) errors.push({ field: 'bates.digits', message: overflow });
  const field = 'production.supplemental.priorManifests';
  for (const problem of checkSupplemental(production).problems) {
    errors.push({ field: problem.manifest === null ? field : `${field}.${problem.manifest}`, message: problem.message });
  }
  return errors;
}
