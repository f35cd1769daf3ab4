import { createArchiveStream, type ArchiveStreamOptions } from './archive.js';
import type { ArchivePlan } from './plan.js';

/**
 * An archive's exact length, learnt by making it and counting its bytes (none is kept): archives
 * are a pure function of their request, so the one streamed next has this length. From a seek
 * point only the rest is made. It costs what making (the rest of) the archive costs; with a
 * recorder it also learns the archive's layout (docs/transfer-design.md). `options` must be fresh
 * (its sections and entries are read once).
 */
export async function measureArchiveLength(plan: ArchivePlan, options: ArchiveStreamOptions): Promise<number> {
  let length = options.seek?.point.offset ?? 0;
  // A stop (its signal) ends the stream early with an error: no count of a cut archive is returned.
  for await (const chunk of createArchiveStream(plan, options)) length += (chunk as Buffer).length;
  return length;
}
