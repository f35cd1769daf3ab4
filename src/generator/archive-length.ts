import { createArchiveStream, type ArchiveStreamOptions } from './archive.js';
import type { ArchivePlan } from './plan.js';

/**
 * An archive's exact length, learnt by making it and counting its bytes (none is kept): archives
 * are a pure function of their request, so the one streamed next has this length. It costs what
 * making the archive costs (docs/transfer-design.md: a size model without rendering is the plan).
 * `options` must be fresh (its sections and entries are read once).
 */
export async function measureArchiveLength(plan: ArchivePlan, options: ArchiveStreamOptions): Promise<number> {
  let length = 0;
  // A stop (its signal) ends the stream early with an error: no count of a cut archive is returned.
  for await (const chunk of createArchiveStream(plan, options)) length += (chunk as Buffer).length;
  return length;
}

/** Lengths of archives already made, by ETag (an ETag covers every field, the seed and the generator's version). */
export class ArchiveLengths {
  private readonly lengths = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  get(etag: string): number | undefined {
    const length = this.lengths.get(etag);
    if (length !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.lengths.delete(etag);
      this.lengths.set(etag, length);
    }
    return length;
  }

  set(etag: string, length: number): void {
    this.lengths.delete(etag);
    this.lengths.set(etag, length);
    if (this.lengths.size > this.capacity) this.lengths.delete(this.lengths.keys().next().value!);
  }
}
