import { parentPort } from 'node:worker_threads';
import { planOf, prepareBatch, prepareRows, type BatchTask, type RowsTask } from './batch.js';
import { prepareProductionBatch, type ProductionBatchTask } from '../production/batch.js';
import { prepareProductionRows, type ProductionRowsTask } from '../production/rows.js';
import { collectGarbageReducingMemory } from './release-memory.js';

export type WorkerJob =
  | { kind: 'documents'; task: BatchTask }
  | { kind: 'production'; task: ProductionBatchTask }
  | { kind: 'rows'; task: RowsTask }
  | { kind: 'production-rows'; task: ProductionRowsTask }
  | { kind: 'release-memory' };
export type WorkerRequest = WorkerJob & { id: number };

/** A generator worker: prepares the batches (documents, or load-file rows) it is sent and transfers them back. */
parentPort?.on('message', (message: WorkerRequest) => {
  const { id } = message;
  if (message.kind === 'release-memory') {
    // Sent when the pool is idle; no answer expected.
    collectGarbageReducingMemory();
    return;
  }
  try {
    if (message.kind === 'production-rows') {
      const rows = prepareProductionRows(message.task);
      parentPort!.postMessage({ id, result: rows }, [rows.bytes.buffer as ArrayBuffer]);
      return;
    }
    if (message.kind === 'rows') {
      const rows = prepareRows(message.task);
      parentPort!.postMessage({ id, result: rows }, [rows.bytes.buffer as ArrayBuffer]);
      return;
    }
    const batch = message.kind === 'production' ? prepareProductionBatch(message.task) : prepareBatch(planOf(message.task), message.task.from, message.task.to);
    const transfer = [batch.bytes.buffer as ArrayBuffer, batch.table.buffer as ArrayBuffer];
    if (batch.digests) transfer.push(batch.digests.buffer as ArrayBuffer);
    parentPort!.postMessage({ id, result: batch }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
