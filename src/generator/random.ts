import { createCipheriv, randomInt } from 'node:crypto';

/**
 * Seeded randomness that is a pure function of (seed, stream, index), so document i can be
 * planned without planning documents 1 … i−1 (random access for the plan, the load file and tests).
 */

/** 32-bit finaliser (lowbias32): spreads every input bit over the output. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Splits a seed (0 … 2^53−1) into two 32-bit words. */
function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/** Independent random streams for one purpose ("metadata", "attachments", …). */
export const Stream = {
  document: 0x6d657461,
  placement: 0x706c6163,
  padding: 0x70616464,
  types: 0x74797065,
  /** Load-file cells of column profiles and collection metadata: one stream per (row, column). */
  cells: 0x63656c6c,
  /** Simulated hashes of a document, and of the attachment that is a document of its own. */
  hash: 0x68617368,
  attachmentHash: 0x61686173,
  /** Chaos: which targets are broken (a permutation per load file) and how (a stream per target). */
  chaos: 0x63686173,
} as const;

/** A small fast PRNG (sfc32) whose state is derived from (seed, stream, index). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number, index: number) {
    const [lo, hi] = seedWords(seed);
    this.a = mix32(lo ^ mix32(stream));
    this.b = mix32(hi ^ mix32(index ^ 0x9e3779b9));
    this.c = mix32(index ^ mix32(lo + stream));
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next() / 2 ** 32;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

/**
 * Padding bytes: windows into one incompressible 1 MiB block per seed, the AES-128-CTR keystream keyed
 * by the seed (OpenSSL's hardware path). Each document starts at an offset of its own, wrapping
 * around, so every document gets random-looking bytes, while no thread allocates or encrypts per
 * document: a padded archive streams the same block's memory again and again (zero copy).
 */
export const PADDING_BLOCK_BYTES = 2 ** 20;
/**
 * Blocks kept per thread: one per seed of the padded archives streaming at once, up to the
 * default ZIPPER_MAX_CONCURRENT (16 MiB at most); past that a block is remade when needed (≈ 1 ms).
 */
const CACHED_BLOCKS = 16;
const paddingBlocks = new Map<number, Buffer>();

/** The seed's padding block (made on first use; the least recently used of CACHED_BLOCKS is dropped). */
export function paddingBlock(seed: number): Buffer {
  let block = paddingBlocks.get(seed);
  if (block === undefined) {
    const key = Buffer.alloc(16);
    const rng = new Rng(seed, Stream.padding, 0);
    for (let offset = 0; offset < 16; offset += 4) key.writeUInt32LE(rng.next(), offset);
    block = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(PADDING_BLOCK_BYTES));
    if (paddingBlocks.size >= CACHED_BLOCKS) paddingBlocks.delete(paddingBlocks.keys().next().value!);
  } else {
    paddingBlocks.delete(seed);
  }
  paddingBlocks.set(seed, block);
  return block;
}

/** Where `bytes` lies inside the seed's padding block, or -1 when it is not a window into it. */
export function paddingBlockOffset(seed: number, bytes: Buffer): number {
  const block = paddingBlocks.get(seed);
  if (block === undefined || bytes.buffer !== block.buffer) return -1;
  return bytes.byteOffset - block.byteOffset;
}

/** Document `index`'s padding bytes `skip` … `skip + length − 1`, as windows into its seed's block. */
export function paddingWindows(seed: number, index: number, length: number, skip = 0): Buffer[] {
  const block = paddingBlock(seed);
  const start = new Rng(seed, Stream.padding, index).below(PADDING_BLOCK_BYTES);
  const windows: Buffer[] = [];
  let at = (start + skip) % PADDING_BLOCK_BYTES;
  for (let left = length; left > 0; at = 0) {
    const take = Math.min(left, PADDING_BLOCK_BYTES - at);
    windows.push(block.subarray(at, at + take));
    left -= take;
  }
  return windows;
}

/** Document `index`'s first `length` padding bytes in one buffer (for renderers that encode them). */
export function paddingBytes(seed: number, index: number, length: number): Buffer {
  const windows = paddingWindows(seed, index, length);
  return windows.length === 1 ? windows[0]! : Buffer.concat(windows, length);
}

/** A fresh random seed for requests that bring none. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 32);
}
