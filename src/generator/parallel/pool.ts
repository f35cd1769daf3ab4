import { Worker } from 'node:worker_threads';
import { planOf, prepareBatch, prepareRows, type BatchTask, type PackedBatch, type PreparedRows, type RowsTask } from './batch.js';
import type { WorkerJob, WorkerRequest } from './worker.js';

// Running from TypeScript sources (tests) the worker is the .ts file; built, it is the .js one.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
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
  private readonly workers: PooledWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(size: number) {
    this.size = size;
    for (let k = 0; k < size; k++) {
      const worker = new Worker(WORKER_URL);
      worker.unref();
      const pooled: PooledWorker = { worker, busy: 0 };
      worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
        pooled.busy--;
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiting) return;
        if (message.error === undefined) waiting.resolve(message.result);
        else waiting.reject(new Error(`generator worker: ${message.error}`));
      });
      worker.on('error', (error) => this.failAll(error));
      this.workers.push(pooled);
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  /** Runs a job on the least busy worker, or here when the pool has none. */
  private run<T>(job: WorkerJob, here: () => T): Promise<T> {
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(here());
      } catch (error) {
        return Promise.reject(error);
      }
    }
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

  /** Encodes the load-file rows of documents task.from … task.to − 1. */
  prepareRows(task: RowsTask): Promise<PreparedRows> {
    return this.run({ kind: 'rows', task }, () => prepareRows(task));
  }

  async close(): Promise<void> {
    this.failAll(new Error('generator pool closed'));
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
