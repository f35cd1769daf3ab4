/**
 * Hash columns (hashMode actual | simulated): MD5HASH, SHA1HASH, SHA256HASH, last, in that order.
 *
 * A row's hashes come from digests given to its writer (an archive's workers hashed the documents
 * as they prepared them: see hash-store.ts), or else are computed when the row is made, from the
 * plan alone (actual: the document is rendered again, padding included, and hashed; simulated:
 * drawn from the document's own random stream). Either way whichever thread makes a range of rows
 * gets the archive's values, and nothing grows with the count.
 */
import { createHash, hash } from 'node:crypto';
import { documentSegments } from '../entries.js';
import { withByteAnomaly } from '../chaos/document-chaos.js';
import type { ArchivePlan } from '../plan.js';
import { Rng, Stream } from '../random.js';
import { HASH_ALGORITHMS, requestedHashAlgorithms, type HashAlgorithm } from '../request.js';
import type { PlannedDocument } from '../types.js';
import type { LoadFileColumn, RowContext } from './columns.js';
import { DIGEST_BYTES, rowDigestBytes } from './hash-store.js';

/** Column name (DAT, CSV) and Concordance field of each hash. */
export const HASH_COLUMN_NAMES: Record<HashAlgorithm, string> = { md5: 'MD5HASH', sha1: 'SHA1HASH', sha256: 'SHA256HASH' };

/** Hex digits of each hash. */
export const HASH_HEX_LENGTH: Record<HashAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64 };

export type DocumentHashes = Partial<Record<HashAlgorithm, string>>;

/** The hash a column carries: its `hashAlgorithm`, or one its name spells (MD5HASH, MD5_HASH, MD5 HASH…). */
export function hashAlgorithmOf(column: Pick<LoadFileColumn, 'name' | 'hashAlgorithm'>): HashAlgorithm | undefined {
  if (column.hashAlgorithm) return column.hashAlgorithm;
  const spelled = /^(MD5|SHA1|SHA256)[ _]?HASH$/i.exec(column.name.trim());
  return spelled ? (spelled[1]!.toLowerCase() as HashAlgorithm) : undefined;
}

/** Lowercase hex digests of a document's bytes exactly as the archive stores them (padding included). */
export function actualHashes(plan: ArchivePlan, doc: PlannedDocument, algorithms: readonly HashAlgorithm[]): DocumentHashes {
  const digests = Buffer.allocUnsafe(rowDigestBytes(algorithms));
  digestInto(digests, 0, withByteAnomaly(plan, doc, documentSegments(plan, doc)), algorithms);
  return hexDigests(digests, 0, algorithms);
}

/** Writes the digests of `segments` (one document's bytes) at `offset`, in the order of `algorithms`; returns the offset after them. */
export function digestInto(target: Buffer, offset: number, segments: readonly Buffer[], algorithms: readonly HashAlgorithm[]): number {
  let length = 0;
  for (const segment of segments) length += segment.length;
  if (length <= ONE_SHOT_MAX_BYTES) {
    // Small documents: one call each, no hash object (about a fifth less per document).
    const bytes = segments.length === 1 ? segments[0]! : Buffer.concat(segments, length);
    for (const algorithm of algorithms) offset += (hash(algorithm, bytes, 'buffer') as Buffer).copy(target, offset);
    return offset;
  }
  for (const algorithm of algorithms) {
    const hasher = createHash(algorithm);
    for (const segment of segments) hasher.update(segment);
    offset += hasher.digest().copy(target, offset);
  }
  return offset;
}

/** A row's digests (as written by digestInto) as lowercase hex. */
export function hexDigests(digests: Buffer, offset: number, algorithms: readonly HashAlgorithm[]): DocumentHashes {
  const hex: DocumentHashes = {};
  for (const algorithm of algorithms) {
    hex[algorithm] = digests.toString('hex', offset, offset + DIGEST_BYTES[algorithm]);
    offset += DIGEST_BYTES[algorithm];
  }
  return hex;
}

const HEX = '0123456789abcdef';
/** Documents up to this size are joined and hashed in one call; larger ones segment by segment. */
const ONE_SHOT_MAX_BYTES = 64 * 1024;

/**
 * Seeded lowercase hex, no hashing: every algorithm's digits are drawn in the fixed order from the
 * document's own stream (an attachment's from a stream of its own), so a value depends on the seed
 * and the document only, not on which other algorithms were asked for.
 */
export function simulatedHashes(seed: number, doc: PlannedDocument, algorithms: readonly HashAlgorithm[]): DocumentHashes {
  const rng = new Rng(seed, doc.attachmentOf ? Stream.attachmentHash : Stream.hash, doc.index);
  const digests: DocumentHashes = {};
  for (const algorithm of HASH_ALGORITHMS) {
    let hex = '';
    for (let left = HASH_HEX_LENGTH[algorithm]; left > 0; left -= 8) {
      const word = rng.next();
      for (let k = 0; k < Math.min(8, left); k++) hex += HEX[(word >>> (28 - 4 * k)) & 15];
    }
    if (algorithms.includes(algorithm)) digests[algorithm] = hex;
  }
  return digests;
}

/**
 * Digests already computed for the rows a writer makes (by the workers that rendered the documents):
 * `rowDigests(row)` gives row `row`'s (0-based, in the order the rows are made), as digestInto wrote them.
 */
export interface GivenDigests {
  rowDigests(row: number): { bytes: Buffer; offset: number };
}

/** Rows' digests from one buffer (a row task's): row k's at k × the row's digest bytes. */
export function digestsFromBuffer(bytes: Uint8Array, algorithms: readonly HashAlgorithm[]): GivenDigests {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = rowDigestBytes(algorithms);
  return {
    rowDigests: (row) => {
      if ((row + 1) * width > buffer.length) throw new Error(`no digests given for row ${row}`);
      return { bytes: buffer, offset: row * width };
    },
  };
}

/**
 * Digests for sample rows (sizing, the Zip64 estimate): random bytes, as real digests are, so a
 * sample has the load file's length and compresses as it does, without hashing a single document.
 */
export const SAMPLE_DIGESTS: GivenDigests = (() => {
  const bytes = Buffer.allocUnsafe(64 * 1024);
  const rng = new Rng(0, Stream.hash, 0);
  for (let at = 0; at < bytes.length; at += 4) bytes.writeUInt32LE(rng.next(), at);
  const widest = rowDigestBytes(HASH_ALGORITHMS);
  return { rowDigests: (row) => ({ bytes, offset: (row * widest) % (bytes.length - widest) }) };
})();

/**
 * Hash columns that take given digests instead of hashing: `current.row` says which row is being
 * made (the writer sets it before each). Other columns as they are.
 */
export function withGivenDigests(plan: ArchivePlan, columns: LoadFileColumn[], given: GivenDigests, current: { row: number }): LoadFileColumn[] {
  const algorithms = requestedHashAlgorithms(plan.request);
  let lastRow = -1;
  let last: DocumentHashes = {};
  return columns.map((column) => {
    const algorithm = column.hashAlgorithm;
    if (!algorithm || !algorithms.includes(algorithm)) return column;
    return {
      ...column,
      value: () => {
        if (current.row !== lastRow) {
          const { bytes, offset } = given.rowDigests(current.row);
          last = hexDigests(bytes, offset, algorithms);
          lastRow = current.row;
        }
        return last[algorithm] ?? '';
      },
    };
  });
}

/**
 * The request's hash columns joined to `columns`: a column already there that carries a hash (a
 * profile's MD5HASH, say) takes it in place; the others are appended last, in the fixed order.
 * Columns marked with a hash that is not asked for keep their values and lose the mark (so that
 * EDRM-XML does not take them for hashes).
 */
export function withHashColumns(plan: ArchivePlan, columns: LoadFileColumn[]): LoadFileColumn[] {
  const { hashMode, seed } = plan.request;
  const hashAlgorithms = requestedHashAlgorithms(plan.request);
  // The columns of one row ask one after the other: the row's hashes are computed once.
  let lastDoc: PlannedDocument | null = null;
  let last: DocumentHashes = {};
  const hashesOf = (doc: PlannedDocument): DocumentHashes => {
    if (doc !== lastDoc) {
      last = hashMode === 'actual' ? actualHashes(plan, doc, hashAlgorithms) : simulatedHashes(seed, doc, hashAlgorithms);
      lastDoc = doc;
    }
    return last;
  };
  const value = (algorithm: HashAlgorithm) => (row: RowContext) => hashesOf(row.doc)[algorithm] ?? '';
  const placed = new Set<HashAlgorithm>();
  const result: LoadFileColumn[] = columns.map((column): LoadFileColumn => {
    const algorithm = hashAlgorithmOf(column);
    if (!algorithm || !hashAlgorithms.includes(algorithm) || placed.has(algorithm)) {
      if (column.hashAlgorithm === undefined) return column;
      const { hashAlgorithm: _unasked, ...unmarked } = column;
      return unmarked;
    }
    placed.add(algorithm);
    return { ...column, hashAlgorithm: algorithm, needs: 'document' as const, value: value(algorithm) };
  });
  for (const algorithm of hashAlgorithms) {
    if (placed.has(algorithm)) continue;
    const name = HASH_COLUMN_NAMES[algorithm];
    result.push({ name, field: name, kind: 'text', needs: 'document', hashAlgorithm: algorithm, value: value(algorithm) });
  }
  return result;
}

/** EDRM-XML attribute of each hash on the native's ExternalFile (`Hash` is md5's unless md5 is not asked for). */
const EDRM_HASH_ATTRIBUTES: Record<HashAlgorithm, string> = { md5: 'Hash', sha1: 'Sha1Hash', sha256: 'Sha256Hash' };

/**
 * ` Hash="…" Sha1Hash="…" Sha256Hash="…"` from a row's hash columns (the requested ones): `Hash` holds
 * md5, or without md5 the first hash asked for, which then also has its own attribute. '' without hashes.
 */
export function edrmHashAttributes(row: RowContext, columns: readonly LoadFileColumn[]): string {
  let attributes = '';
  let first = true;
  for (const column of columns) {
    if (!column.hashAlgorithm) continue;
    const value = column.value(row);
    if (first && column.hashAlgorithm !== 'md5') attributes += ` Hash="${value}"`;
    attributes += ` ${EDRM_HASH_ATTRIBUTES[column.hashAlgorithm]}="${value}"`;
    first = false;
  }
  return attributes;
}
