import { Worker, type ResourceLimits } from 'node:worker_threads';
import { UNBOUNDED_READ_AHEAD, type ReadAheadBudget } from '../read-ahead-budget.js';
import { planOf, prepareBatch, prepareRows, type BatchTask, type PackedBatch, type PreparedRows, type RowsTask } from './batch.js';
import { prepareProductionBatch, type ProductionBatch, type ProductionBatchTask } from '../production/batch.js';
import { prepareProductionRows, type PreparedProductionRows, type ProductionRowsTask } from '../production/rows.js';
import { collectGarbageReducingMemory } from './release-memory.js';
import type { WorkerJob, WorkerRequest } from './worker.js';

/** Message id of a release-memory request: no job waits for it, and the worker does not answer. */
const RELEASE_MEMORY_ID = -1;

// Running from TypeScript sources (tests) the worker is the .ts file; built, it is the .js one.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export interface GeneratorPoolOptions {
  /** Read-ahead shared by the archives that use this pool; unbounded by default. */
  readAhead?: ReadAheadBudget;
  /** V8 heap limits of each worker (the young generation above all: V8 grows it with the allocation rate and keeps it when idle). */
  workerResourceLimits?: ResourceLimits;
  /**
   * After this long with no job and no archive streaming, every thread (workers and this one)
   * runs a memory-reducing garbage collection: an idle thread runs none by itself, so the heap a
   * burst grew would stay committed. 0: never.
   */
  releaseMemoryAfterMs?: number;
}

interface PooledWorker {
  worker: Worker;
  busy: number;
}

/**
 * Workers that render and compress batches of documents, or encode load-file rows, in parallel.
 * Callers keep the order: they await the results in the order they asked for them. Size 0:
 * everything on the calling thread.
 */
export class GeneratorPool {
  readonly size: number;
  readonly readAhead: ReadAheadBudget;
  private workers: PooledWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly resourceLimits: ResourceLimits | undefined;
  private readonly releaseMemoryAfterMs: number;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(size: number, options: GeneratorPoolOptions = {}) {
    this.size = size;
    this.readAhead = options.readAhead ?? UNBOUNDED_READ_AHEAD;
    this.resourceLimits = options.workerResourceLimits;
    this.releaseMemoryAfterMs = options.releaseMemoryAfterMs ?? 0;
    this.startWorkers();
  }

  private startWorkers(): void {
    for (let k = 0; k < this.size; k++) {
      const worker = new Worker(WORKER_URL, { resourceLimits: this.resourceLimits });
      worker.unref();
      const pooled: PooledWorker = { worker, busy: 0 };
      worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
        pooled.busy--;
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (this.pending.size === 0) this.armIdleTimer();
        if (!waiting) return;
        if (message.error === undefined) waiting.resolve(message.result);
        else waiting.reject(new Error(`generator worker: ${message.error}`));
      });
      worker.on('error', (error) => {
        this.failAll(error);
        // A worker that failed (out of memory, say) is gone: the next job starts a fresh set.
        void this.endWorkers();
      });
      this.workers.push(pooled);
    }
  }

  private armIdleTimer(): void {
    if (this.releaseMemoryAfterMs <= 0 || this.idleTimer !== null || this.closed) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      // Still busy (an archive waiting for its reader, say): look again later.
      if (this.pending.size > 0 || this.readAhead.archivesStreaming > 0) this.armIdleTimer();
      else this.releaseMemory();
    }, this.releaseMemoryAfterMs);
    this.idleTimer.unref();
  }

  /** A memory-reducing collection on every thread of the pool, and on this one. */
  private releaseMemory(): void {
    for (const { worker } of this.workers) worker.postMessage({ id: RELEASE_MEMORY_ID, kind: 'release-memory' } satisfies WorkerRequest);
    collectGarbageReducingMemory();
  }

  private endWorkers(): Promise<unknown> {
    const ending = this.workers;
    this.workers = [];
    return Promise.all(ending.map(({ worker }) => worker.terminate()));
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  /** Runs a job on the least busy worker, or here when the pool has none. */
  private run<T>(job: Exclude<WorkerJob, { kind: 'release-memory' }>, here: () => T): Promise<T> {
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.size === 0) {
      try {
        return Promise.resolve(here());
      } catch (error) {
        return Promise.reject(error);
      } finally {
        this.armIdleTimer();
      }
    }
    if (this.closed) return Promise.reject(new Error('generator pool closed'));
    if (this.workers.length === 0) this.startWorkers();
    const pooled = this.workers.reduce((least, candidate) => (candidate.busy < least.busy ? candidate : least));
    pooled.busy++;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      pooled.worker.postMessage({ id, ...job } satisfies WorkerRequest);
    });
  }

  /** Prepares documents task.from … task.to − 1. */
  prepare(task: BatchTask): Promise<PackedBatch> {
    return this.run({ kind: 'documents', task }, () => prepareBatch(planOf(task), task.from, task.to));
  }

  /** Prepares the files of positions task.from … task.to − 1 of a production set. */
  prepareProduction(task: ProductionBatchTask): Promise<ProductionBatch> {
    return this.run({ kind: 'production', task }, () => prepareProductionBatch(task));
  }

  /** Encodes and checks a production set's DAT rows or OPT lines of positions task.from … task.to − 1. */
  prepareProductionRows(task: ProductionRowsTask): Promise<PreparedProductionRows> {
    return this.run({ kind: 'production-rows', task }, () => prepareProductionRows(task));
  }

  /** Encodes the load-file rows of documents task.from … task.to − 1. */
  prepareRows(task: RowsTask): Promise<PreparedRows> {
    return this.run({ kind: 'rows', task }, () => prepareRows(task));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.failAll(new Error('generator pool closed'));
    await this.endWorkers();
  }
}
