/**
 * Hash columns (hashMode actual | simulated): MD5HASH, SHA1HASH, SHA256HASH, last, in that order.
 *
 * Nothing is stored between rows: a row's hashes are computed when the row is made, from the plan
 * alone (actual: the document is rendered again, padding included, and hashed; simulated: drawn
 * from the document's own random stream). So whichever thread makes a range of rows, in whatever
 * order, gets the archive's values, and memory does not grow with the count.
 */
import { createHash } from 'node:crypto';
import { documentSegments } from '../entries.js';
import type { ArchivePlan } from '../plan.js';
import { Rng, Stream } from '../random.js';
import { HASH_ALGORITHMS, type HashAlgorithm } from '../request.js';
import type { PlannedDocument } from '../types.js';
import type { LoadFileColumn, RowContext } from './columns.js';

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
  const hashes = algorithms.map((algorithm) => createHash(algorithm));
  for (const segment of documentSegments(plan, doc)) {
    for (const hash of hashes) hash.update(segment);
  }
  const digests: DocumentHashes = {};
  algorithms.forEach((algorithm, k) => (digests[algorithm] = hashes[k]!.digest('hex')));
  return digests;
}

const HEX = '0123456789abcdef';

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
 * The request's hash columns joined to `columns`: a column already there that carries a hash (a
 * profile's MD5HASH, say) takes it in place; the others are appended last, in the fixed order.
 * Without hashMode, `columns` as they are.
 */
export function withHashColumns(plan: ArchivePlan, columns: LoadFileColumn[]): LoadFileColumn[] {
  const { hashMode, hashAlgorithms = [], seed } = plan.request;
  if (hashMode === 'none' || hashAlgorithms.length === 0) return columns;
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
  const result = columns.map((column) => {
    const algorithm = hashAlgorithmOf(column);
    if (!algorithm || !hashAlgorithms.includes(algorithm) || placed.has(algorithm)) return column;
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
