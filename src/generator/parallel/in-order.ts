/**
 * Results of tasks started ahead (on a pool's workers), awaited and yielded in the order they were
 * started. `start()` starts the next task, or returns null when none is left; at most `ahead()`
 * tasks are in flight. `seen` hears each result before more tasks start (it may change `ahead`).
 */
export async function* inOrder<T>(start: () => Promise<T> | null, ahead: () => number, seen?: (result: T) => void): AsyncGenerator<T> {
  const started: Array<Promise<T>> = [];
  let more = true;
  const startMore = () => {
    while (more && started.length < ahead()) {
      const task = start();
      if (task === null) {
        more = false;
        return;
      }
      task.catch(() => undefined); // awaited below; one left behind by an early stop must not go unhandled
      started.push(task);
    }
  };
  startMore();
  for (let task = started.shift(); task !== undefined; task = started.shift()) {
    const result = await task;
    seen?.(result);
    startMore();
    yield result;
  }
}
