/**
 * Bytes that archives streaming at once may hold made ahead of their readers (early load-file
 * rows, batches waiting to be written, central headers not yet spilled), shared among them: each
 * archive streaming gets an equal share, recomputed as archives start and end. One archive alone
 * keeps its full read-ahead (its throughput is unchanged); many at once hold a bounded total
 * instead of many times the full figures.
 */
export class ReadAheadBudget {
  private streaming = 0;

  /** `totalBytes`: Infinity for no bound (each archive keeps its full read-ahead). */
  constructor(readonly totalBytes: number) {}

  /** Counts an archive in until the returned function is called (once; later calls do nothing). */
  join(): () => void {
    this.streaming++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.streaming--;
    };
  }

  /** This archive's share now, in bytes. */
  share(): number {
    return this.totalBytes / Math.max(1, this.streaming);
  }

  get archivesStreaming(): number {
    return this.streaming;
  }
}

/** No bound: what callers without a configured budget (tests, the bench's in-process runs) use. */
export const UNBOUNDED_READ_AHEAD = new ReadAheadBudget(Number.POSITIVE_INFINITY);
