import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GarbageCollect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

// Node has no API that asks V8 to give back a heap a burst grew: an idle thread runs no collection,
// and its young generation and freed pages stay committed (terminating a worker does not return
// them either, in Node 24). V8's own gc() does, with the last-resort flavour (a memory-reducing
// full collection). Exposing it to contexts made from now on is a process-wide flag; it changes
// nothing else.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as GarbageCollect;

/** A full, memory-reducing garbage collection of this thread's heap (tens of ms: call it when idle). */
export function collectGarbageReducingMemory(): void {
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
