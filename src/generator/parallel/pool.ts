import { Worker } from 'node:worker_threads';
import { planOf, prepareBatch, type BatchTask, type PackedBatch } from './batch.js';

// Running from TypeScript sources (tests) the worker is the .ts file; built, it is the .js one.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/**
 * A worker's short-lived garbage (rendered documents, a batch's pieces) dies young: a small young
 * generation keeps each worker's memory tens of MB lower at no measurable cost in speed (bench).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

interface Pending {
  resolve: (batch: PackedBatch) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  busy: number;
}

/**
 * Workers that render and compress batches of documents in parallel. Callers keep the order:
 * they await the batches in the order they asked for them. Size 0: everything on the calling thread.
 */
export class GeneratorPool {
  readonly size: number;
  private readonly workers: PooledWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(size: number) {
    this.size = size;
    for (let k = 0; k < size; k++) {
      const worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      worker.unref();
      const pooled: PooledWorker = { worker, busy: 0 };
      worker.on('message', (message: { id: number; batch?: PackedBatch; error?: string }) => {
        pooled.busy--;
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiting) return;
        if (message.batch) waiting.resolve(message.batch);
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

  /** Prepares documents task.from … task.to − 1, on the least busy worker. */
  prepare(task: BatchTask): Promise<PackedBatch> {
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(prepareBatch(planOf(task), task.from, task.to));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const pooled = this.workers.reduce((least, candidate) => (candidate.busy < least.busy ? candidate : least));
    pooled.busy++;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      pooled.worker.postMessage({ id, task });
    });
  }

  async close(): Promise<void> {
    this.failAll(new Error('generator pool closed'));
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
