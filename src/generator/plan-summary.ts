import { targetChaos } from './chaos/document-chaos.js';
import { answerKey, type Anomaly } from './chaos/answer-key.js';
import { loadFileHeader } from './loadfile/writer.js';
import type { ArchivePlan } from './plan.js';
import type { ProductionPlan } from './production/plan.js';
import { summarizeProduction, type ProductionSummary } from './production/summary.js';

/** What a request would produce, read from the same plan the archive is written from. */
export interface PlanSummary {
  seed: number;
  archiveName: string;
  /** Documents in the archive: the requested count, plus attachments that are documents of their own. */
  documents: number;
  /** Of those, attachments (withFamilies). */
  attachments: number;
  /** Every file in the archive: documents, their texts, the load file; a production's when counted, else null. */
  entries: number | null;
  folders: Array<{ name: string; documents: number }>;
  fileTypes: Record<string, number>;
  /** Each load file at the archive root: name, format, encoding and header columns (none for OPT). */
  loadFiles: Array<{ name: string; format: string; encoding: string; lineEnding: string; columns: string[]; auditFile: string | null }>;
  /** The answer key (chaos): what the archive's <name>_anomalies.json will list. */
  anomalies: Anomaly[];
  estimatedBytes: number;
  targetSize: number | null;
  /** Padding bytes each document carries for targetSize (some one byte more). */
  paddingPerDocument: number;
  /** The production's sets, volumes, Bates ranges and counts; null without production. */
  production: ProductionSummary | null;
}

export function summarizePlan(plan: ArchivePlan, estimatedBytes: number, production: ProductionPlan | null = null): PlanSummary {
  if (production) return summarizeProductionPlan(production, estimatedBytes);
  const { request } = plan;
  const attachmentsPerFolder = plan.familyAttachmentsPerFolder();
  const attachments = attachmentsPerFolder.reduce((sum, n) => sum + n, 0);
  const fileTypes = Object.fromEntries(plan.typeCounts);
  if (attachments > 0) fileTypes.pdf = (fileTypes.pdf ?? 0) + attachments;
  return {
    seed: request.seed,
    archiveName: plan.archiveFileName,
    documents: plan.count + attachments,
    attachments,
    entries: (plan.count + attachments) * (request.withText ? 2 : 1) + plan.loadFiles.reduce((sum, loadFile) => sum + (loadFile.auditName ? 2 : 1), 0) + (request.chaos ? 1 : 0) + entryChange(plan),
    // A source-driven set's documents are at their own paths: no folders of ours.
    folders: request.sources ? [] : plan.folderCounts().map((documents, k) => ({ name: `folder_${String(k + 1).padStart(3, '0')}`, documents: documents + attachmentsPerFolder[k]! })),
    fileTypes,
    loadFiles: plan.loadFiles.map(({ name, format, auditName }) => ({
      name,
      format,
      encoding: request.encoding,
      lineEnding: request.eol,
      columns: loadFileHeader(plan, format),
      auditFile: auditName,
    })),
    anomalies: [...answerKey(plan, plan.loadFiles.map((loadFile) => loadFile.format))],
    estimatedBytes,
    targetSize: request.targetSize ?? null,
    paddingPerDocument: plan.padding.base,
    production: null,
  };
}

/**
 * A production's plan: documents and types over all its sets; no root folders, load files or
 * anomalies (a production's load files are per set, in `production`). estimatedBytes: the natives'
 * estimate (one set's × sets); images, texts and sidecars are not estimated yet.
 */
function summarizeProductionPlan(production: ProductionPlan, estimatedBytes: number): PlanSummary {
  const { request } = production;
  const attachments = production.archive.familyAttachmentsPerFolder().reduce((sum, n) => sum + n, 0);
  const fileTypes = Object.fromEntries(production.archive.typeCounts);
  if (attachments > 0) fileTypes.pdf = (fileTypes.pdf ?? 0) + attachments;
  const summary = summarizeProduction(production);
  return {
    seed: request.seed,
    archiveName: production.archive.archiveFileName,
    documents: production.archive.count + attachments,
    attachments,
    entries: summary.entries,
    folders: [],
    fileTypes,
    loadFiles: [],
    anomalies: [],
    estimatedBytes: estimatedBytes * production.sets.length,
    targetSize: null,
    paddingPerDocument: 0,
    production: summary,
  };
}

/** Entries chaos adds (doc-extra, zip-duplicate-name) or takes away (doc-missing). */
function entryChange(plan: ArchivePlan): number {
  const { document, archive } = targetChaos(plan);
  let change = archive?.chosen().length ?? 0;
  for (const index of document?.chosen() ?? []) {
    const type = document!.typeAt(index);
    if (type === 'doc-extra') change++;
    if (type === 'doc-missing') change--;
  }
  return change;
}
