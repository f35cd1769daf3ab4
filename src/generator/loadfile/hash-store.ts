/**
 * Actual hashes of an archive's documents, recorded where the documents are rendered (the workers
 * hash each native as they prepare it; but see archiveHashesDocuments) and read back, in order, when the load file at the end of
 * the archive makes its rows. Rows' digests are kept as bytes (16 + 20 + 32 a row at most), and
 * move to a temporary file past a bound, as the central directory does: memory stays flat at any
 * count (10M documents with md5, sha1 and sha256 write 680 MB to the file, hold at most the bound).
 */
import type { ArchivePlan } from '../plan.js';
import type { HashAlgorithm } from '../request.js';
import { SpillFile } from '../spill/spill-file.js';

/** Bytes of each digest. */
export const DIGEST_BYTES: Record<HashAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32 };

/** Bytes of one row's digests: the requested algorithms' in their fixed order. */
export function rowDigestBytes(algorithms: readonly HashAlgorithm[]): number {
  return algorithms.reduce((sum, algorithm) => sum + DIGEST_BYTES[algorithm], 0);
}

/** Padding per document from which one load file listing hashes hashes the documents itself (see below). */
export const REHASH_MIN_PADDING = 256 * 1024;

/**
 * Whether an archive's documents are hashed as they are prepared (and their digests kept in a
 * HashStore): actual hashes and a load file that lists them (OPT does not) — except when the first
 * load file is the only one listing them and documents are large (padding ≥ REHASH_MIN_PADDING).
 * Such an archive has few rows, all made early, on the main thread while it waits for the workers'
 * batches: rendering and hashing each document again there measured faster with curl as the client
 * (1 GiB, 1,000 documents: 1.29–1.37 s against 1.46–1.72 s; even through the bench's client) and
 * 10–20 % cheaper in CPU than hashing in the workers. With more load files each would hash every
 * document again (2.5–2.7 s against 1.63–1.64 s), hence the store.
 */
export function archiveHashesDocuments(plan: ArchivePlan): boolean {
  if (plan.request.hashMode !== 'actual') return false;
  const formats = plan.loadFiles.map(({ format }) => format);
  const hashed = formats.filter((format) => format !== 'opt');
  if (hashed.length === 0) return false;
  // (Bates numbers make the rows in one pass, in pieces too large to run while waiting: not then.)
  const rehashedEarly = hashed.length === 1 && formats[0] !== 'opt' && !plan.request.bates && plan.padding.base >= REHASH_MIN_PADDING;
  return !rehashedEarly;
}

export interface HashStoreOptions {
  algorithms: readonly HashAlgorithm[];
  /** Bytes held in memory before they move to the temporary file; a function is asked at every append. */
  spillThreshold: number | (() => number);
  tempDir: string;
}

/** Reads a store's rows in order from the first: each load file of the archive has one. */
export interface HashReader {
  /** The digests of the next `rows` rows, in one buffer of its own. */
  read(rows: number): Buffer;
}

/** Bytes read from the temporary file at a time by a reader (rows are read in order). */
const READ_BLOCK_BYTES = 256 * 1024;

export class HashStore {
  /** Rows recorded, and documents (a family's attachment is a row of its own). */
  rows = 0;
  documents = 0;
  readonly rowBytes: number;
  /** The store's first bytes go to the file; the rest wait in memory. */
  private readonly file: SpillFile;
  private readonly spillThreshold: () => number;
  private chunks: Buffer[] = [];
  private inMemory = 0;

  constructor({ algorithms, spillThreshold, tempDir }: HashStoreOptions) {
    this.rowBytes = rowDigestBytes(algorithms);
    this.file = new SpillFile(tempDir, 'hashes.bin');
    this.spillThreshold = typeof spillThreshold === 'number' ? () => spillThreshold : spillThreshold;
  }

  /** Bytes in the temporary file. */
  private get spilled(): number {
    return this.file.length;
  }

  /** Whether anything went to the temporary file. */
  get hasSpilled(): boolean {
    return this.spilled > 0;
  }

  /** Records the digests of the next documents' rows (in archive order). */
  append(digests: Uint8Array, documents: number): void {
    if (digests.length % this.rowBytes !== 0) throw new Error(`HashStore: ${digests.length} bytes is not a whole number of rows`);
    this.chunks.push(Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength));
    this.inMemory += digests.length;
    this.rows += digests.length / this.rowBytes;
    this.documents += documents;
    if (this.inMemory > this.spillThreshold()) this.spill();
  }

  private spill(): void {
    this.file.append(this.chunks);
    this.chunks = [];
    this.inMemory = 0;
  }

  /** Copies the store's bytes at..at+target.length−1 into target (from the file, then from memory). */
  private copy(target: Buffer, at: number): void {
    let filled = 0;
    if (at < this.spilled) {
      filled = Math.min(target.length, this.spilled - at);
      this.file.readInto(target.subarray(0, filled), at);
    }
    let chunkStart = this.spilled;
    for (const chunk of this.chunks) {
      if (filled === target.length) break;
      const chunkEnd = chunkStart + chunk.length;
      const from = at + filled;
      if (from < chunkEnd) filled += chunk.copy(target, filled, from - chunkStart, Math.min(chunk.length, from - chunkStart + target.length - filled));
      chunkStart = chunkEnd;
    }
    if (filled !== target.length) throw new Error(`HashStore: rows asked for past the ${this.rows} recorded`);
  }

  /** A reader from the first row. Reading past the rows recorded throws. */
  reader(): HashReader {
    let at = 0;
    // Rows from the file are read a block ahead: few reads of the file, small ones.
    let block = Buffer.alloc(0);
    let blockAt = 0;
    return {
      read: (rows) => {
        const wanted = Buffer.allocUnsafe(rows * this.rowBytes);
        let filled = 0;
        while (filled < wanted.length) {
          if (at >= blockAt && at < blockAt + block.length) {
            const taken = block.copy(wanted, filled, at - blockAt, Math.min(block.length, at - blockAt + wanted.length - filled));
            filled += taken;
            at += taken;
            continue;
          }
          const left = wanted.length - filled;
          if (at >= this.spilled || left >= READ_BLOCK_BYTES) {
            // From memory, or a large read: straight into the result.
            this.copy(wanted.subarray(filled), at);
            at += left;
            filled += left;
          } else {
            block = Buffer.allocUnsafe(Math.min(READ_BLOCK_BYTES, this.spilled - at));
            blockAt = at;
            this.copy(block, at);
          }
        }
        return wanted;
      },
    };
  }

  /** Frees memory and removes the temporary file; safe to call more than once. */
  dispose(): void {
    this.chunks = [];
    this.inMemory = 0;
    this.file.dispose();
  }
}
