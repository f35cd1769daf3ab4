import { mix32, Rng } from './random.js';
import { FILE_TYPES, type FileType } from './types.js';

/**
 * Per-type counts that follow the weights exactly up to rounding: floors first, then the documents
 * left over go to the largest remainders (ties in FILE_TYPES order).
 */
export function largestRemainderCounts(count: number, weights: Partial<Record<FileType, number>>): Map<FileType, number> {
  const types = FILE_TYPES.filter((type) => (weights[type] ?? 0) > 0);
  const total = types.reduce((sum, type) => sum + (weights[type] ?? 0), 0);
  const exact = types.map((type) => (count * (weights[type] ?? 0)) / total);
  const counts = exact.map(Math.floor);
  let left = count - counts.reduce((sum, n) => sum + n, 0);
  const byRemainder = types.map((_, k) => k).sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  for (const k of byRemainder) {
    if (left === 0) break;
    counts[k]!++;
    left--;
  }
  return new Map(types.map((type, k) => [type, counts[k]!]));
}

/**
 * A seeded permutation of 0 … n−1, evaluated one position at a time (a 4-round Feistel network on the
 * next even power of two, cycle-walking back into range): random access, no table in memory.
 */
export class SeededPermutation {
  private readonly n: number;
  private readonly half: number;
  private readonly mask: number;
  private readonly keys: number[];

  constructor(n: number, seed: number, stream: number) {
    this.n = n;
    let bits = Math.max(2, Math.ceil(Math.log2(Math.max(n, 2))));
    if (bits % 2 === 1) bits++;
    this.half = bits / 2;
    this.mask = (1 << this.half) - 1;
    const rng = new Rng(seed, stream, 0);
    this.keys = [rng.next(), rng.next(), rng.next(), rng.next()];
  }

  private round(x: number): number {
    let left = x >>> this.half;
    let right = x & this.mask;
    for (const key of this.keys) {
      const next = left ^ (mix32(right ^ key) & this.mask);
      left = right;
      right = next;
    }
    return ((left << this.half) | right) >>> 0;
  }

  at(position: number): number {
    let x = position;
    do x = this.round(x);
    while (x >= this.n);
    return x;
  }
}

/**
 * Which type document i is: counts from the weights, positions from a seeded permutation, so each
 * type is spread through the archive and the counts are exact.
 */
export class TypeAssignment {
  readonly counts: Map<FileType, number>;
  private readonly single: FileType | null;
  private readonly bounds: Array<{ type: FileType; end: number }> = [];
  private readonly permutation: SeededPermutation | null;

  constructor(count: number, weights: Partial<Record<FileType, number>>, seed: number, stream: number) {
    this.counts = largestRemainderCounts(count, weights);
    const present = [...this.counts].filter(([, n]) => n > 0);
    this.single = present.length === 1 ? present[0]![0] : null;
    let end = 0;
    for (const [type, n] of present) this.bounds.push({ type, end: (end += n) });
    this.permutation = this.single ? null : new SeededPermutation(count, seed, stream);
  }

  typeOf(index: number): FileType {
    if (this.single) return this.single;
    const position = this.permutation!.at(index - 1);
    for (const bound of this.bounds) if (position < bound.end) return bound.type;
    throw new Error(`no type for document ${index}`);
  }
}
