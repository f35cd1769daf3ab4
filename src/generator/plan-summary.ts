import { loadFileHeader } from './loadfile/writer.js';
import type { ArchivePlan } from './plan.js';

/** What a request would produce, read from the same plan the archive is written from. */
export interface PlanSummary {
  seed: number;
  archiveName: string;
  documents: number;
  /** Every file in the archive: documents, their texts, the load file. */
  entries: number;
  folders: Array<{ name: string; documents: number }>;
  fileTypes: Record<string, number>;
  /** Each load file at the archive root: name, format, encoding and header columns (none for OPT). */
  loadFiles: Array<{ name: string; format: string; encoding: string; columns: string[] }>;
  estimatedBytes: number;
  targetSize: number | null;
  /** Padding bytes each document carries for targetSize (some one byte more). */
  paddingPerDocument: number;
}

export function summarizePlan(plan: ArchivePlan, estimatedBytes: number): PlanSummary {
  const { request } = plan;
  return {
    seed: request.seed,
    archiveName: plan.archiveFileName,
    documents: plan.count,
    entries: plan.count * (request.withText ? 2 : 1) + plan.loadFiles.length,
    folders: plan.folderCounts().map((documents, k) => ({ name: `folder_${String(k + 1).padStart(3, '0')}`, documents })),
    fileTypes: Object.fromEntries(plan.typeCounts),
    loadFiles: plan.loadFiles.map(({ name, format }) => ({ name, format, encoding: request.encoding, columns: loadFileHeader(plan, format) })),
    estimatedBytes,
    targetSize: request.targetSize ?? null,
    paddingPerDocument: plan.padding.base,
  };
}
