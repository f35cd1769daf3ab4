/**
 * A worker's share of a production: the files of positions from..to−1 of one set, rendered,
 * compressed and packed like a plain archive's batch, with the counts the plan gives those rows.
 */
import { packPrepared, type PackedBatch } from '../parallel/batch.js';
import { archiveCompression } from '../entries.js';
import type { ResolvedRequest } from '../request.js';
import { prepareEntry, type PreparedEntry } from '../zip/compress.js';
import { recordFiles } from './files.js';
import { countEntry, countRow, emptyCounts, type ProductionCounts } from './manifest.js';
import { ProductionPlan } from './plan.js';

export interface ProductionBatchTask {
  request: ResolvedRequest;
  /** The set's 1-based sequence. */
  set: number;
  from: number;
  to: number;
}

export interface ProductionBatch extends PackedBatch {
  /** The rows and OPT lines the plan gives these positions, and the files packed for them. */
  counts: ProductionCounts;
}

// A worker is sent the same request for every batch of an archive: its plan is made once.
let cached: { key: string; plan: ProductionPlan } | null = null;

/** The plan of a request, made once per worker and request (batches and row tasks of one archive share it). */
export function cachedProductionPlan(request: ResolvedRequest): ProductionPlan {
  // The sources' offsets are a shared array of a number per record: the table's digest stands for them.
  const key = JSON.stringify(request, (name, value: unknown) => (name === 'offsets' ? undefined : value));
  if (cached?.key !== key) cached = { key, plan: new ProductionPlan(request) };
  return cached.plan;
}

export function prepareProductionBatch(task: ProductionBatchTask, plan = cachedProductionPlan(task.request)): ProductionBatch {
  const set = plan.sets[task.set - 1]!;
  const counts = emptyCounts();
  const prepared: PreparedEntry[] = [];
  for (let position = task.from; position < task.to; position++) {
    for (const record of plan.records(set, position)) {
      countRow(counts, record, record.imageFiles.length);
      for (const file of recordFiles(plan, set, record)) {
        prepared.push(prepareEntry(Buffer.from(file.name, 'utf8'), file.segments, archiveCompression(plan.request, file.compression)));
        countEntry(counts, record, file.entry.kind);
      }
    }
  }
  return { ...packPrepared(prepared, plan.request.seed), counts };
}
