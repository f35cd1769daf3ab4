import { datColumns } from './loadfile/dat.js';
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
  loadFile: { name: string; format: string; encoding: string; columns: string[] } | null;
  estimatedBytes: number;
  targetSize: number | null;
  /** Padding bytes each document carries for targetSize (some one byte more). */
  paddingPerDocument: number;
}

export function summarizePlan(plan: ArchivePlan, estimatedBytes: number): PlanSummary {
  const { request } = plan;
  const loadFileName = plan.loadFileName;
  return {
    seed: request.seed,
    archiveName: plan.archiveFileName,
    documents: plan.count,
    entries: plan.count * (request.withText ? 2 : 1) + (loadFileName === null ? 0 : 1),
    folders: plan.folderCounts().map((documents, k) => ({ name: `folder_${String(k + 1).padStart(3, '0')}`, documents })),
    fileTypes: { [request.fileType]: plan.count },
    loadFile:
      loadFileName === null
        ? null
        : { name: loadFileName, format: request.loadFileFormat, encoding: request.encoding, columns: datColumns(plan).map((column) => column.name) },
    estimatedBytes,
    targetSize: request.targetSize ?? null,
    paddingPerDocument: plan.padding.base,
  };
}
