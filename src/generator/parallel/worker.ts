import { parentPort } from 'node:worker_threads';
import { planOf, prepareBatch, type BatchTask } from './batch.js';

/** A generator worker: prepares the batches it is sent and transfers them back. */
parentPort?.on('message', ({ id, task }: { id: number; task: BatchTask }) => {
  try {
    const batch = prepareBatch(planOf(task), task.from, task.to);
    parentPort!.postMessage({ id, batch }, [batch.bytes.buffer as ArrayBuffer, batch.table.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
