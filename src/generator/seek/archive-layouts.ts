import type { ArchiveLayout } from './archive-layout.js';

/** A small LRU map: the most recently used key last, the first one the next to go. */
class Recent<V> {
  readonly map = new Map<string, V>();

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
  }

  /** The least recently used entry, removed. */
  shift(): [string, V] | undefined {
    const first = this.map.entries().next();
    if (first.done) return undefined;
    this.map.delete(first.value[0]);
    return first.value;
  }
}

export interface ArchiveLayoutsOptions {
  /** Archive lengths remembered (a number each). */
  lengths: number;
  /** Layouts remembered at most. */
  layouts: number;
  /** Disk bytes (central headers, tails) the layouts may keep together; a layout larger than this is not kept, and with 0 none is. */
  layoutBytes: number;
}

/**
 * What this process knows of archives it made, by ETag (which covers every field, the seed and the
 * generator's version): their lengths, and their layouts (seek points and central headers) within a
 * budget of disk bytes. Of two layouts of one archive the one that reaches further is kept.
 */
export class ArchiveLayouts {
  private readonly lengths = new Recent<number>();
  private readonly layouts = new Recent<ArchiveLayout>();
  private layoutBytes = 0;
  /** Measurements running, by ETag: one per archive at a time. */
  private readonly measurements = new Map<string, Promise<number>>();

  constructor(private readonly options: ArchiveLayoutsOptions) {}

  /**
   * The archive's length: known, or by the measurement of it already running (parallel ranges of
   * one archive wait for one measurement, not one each), or by `measure`. A waiter whose `signal`
   * fires stops waiting; when the running measurement fails (its own client left), the waiters
   * measure again themselves.
   */
  async measured(etag: string, signal: AbortSignal, measure: () => Promise<number>): Promise<number> {
    for (;;) {
      const known = this.length(etag);
      if (known !== undefined) return known;
      const running = this.measurements.get(etag);
      if (!running) break;
      try {
        return await untilAborted(running, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        if (this.measurements.get(etag) === running) this.measurements.delete(etag);
      }
    }
    const own = measure();
    this.measurements.set(etag, own);
    try {
      return await own;
    } finally {
      if (this.measurements.get(etag) === own) this.measurements.delete(etag);
    }
  }

  length(etag: string): number | undefined {
    return this.lengths.get(etag) ?? this.layouts.map.get(etag)?.length;
  }

  layout(etag: string): ArchiveLayout | undefined {
    return this.layouts.get(etag);
  }

  setLength(etag: string, length: number): void {
    this.lengths.set(etag, length);
    if (this.lengths.map.size > this.options.lengths) this.lengths.shift();
  }

  /** Keeps a generation's layout (or lets it go: a smaller one than known, or too large for the budget). */
  offer(etag: string, layout: ArchiveLayout): void {
    if (layout.length !== undefined) this.setLength(etag, layout.length);
    const known = this.layouts.map.get(etag);
    const better = !known || (known.length === undefined && (layout.length !== undefined || layout.reach > known.reach));
    if (!better || layout.points.length === 0 || this.options.layoutBytes === 0 || layout.bytes > this.options.layoutBytes) {
      layout.release();
      return;
    }
    if (known) this.remove(etag, known);
    this.layouts.set(etag, layout);
    this.layoutBytes += layout.bytes;
    while (this.layoutBytes > this.options.layoutBytes || this.layouts.map.size > this.options.layouts) {
      const [oldest, dropped] = this.layouts.shift()!;
      this.remove(oldest, dropped, false);
    }
  }

  private remove(etag: string, layout: ArchiveLayout, fromMap = true): void {
    if (fromMap) this.layouts.map.delete(etag);
    this.layoutBytes -= layout.bytes;
    layout.release();
  }

  /** Lets every layout go (the app closes). */
  clear(): void {
    for (const [etag, layout] of [...this.layouts.map]) this.remove(etag, layout);
  }
}

/** `promise`, or a rejection as soon as `signal` fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
