/**
 * Source records kept out of the heap: each record one line of a spill file, found through an
 * offset table in shared memory. Built once per request (JSON list or streamed CSV), validated as it
 * is written; read at random by the plan on any thread (the workers get the same SharedArrayBuffer
 * and open the file themselves).
 *
 * Cost per record: its line in the file (path, type, identities and metadata values as a JSON array,
 * about the CSV row's own size) and 8 bytes of offset in memory; while building, 24 bytes more of
 * identity hashes for the duplicate checks (freed when the table is done). A reader holds one block
 * of the file (64 KiB) and the last record it parsed.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileType } from '../types.js';
import { FILE_TYPES } from '../types.js';
import { makeSpillDir } from '../spill/spill-dir.js';
import type { SourceTable } from '../request.js';
import { generatedControlIndex, identityProblem, sanitizeSourcePath, sequenceBatesNumber, sourceType } from './rules.js';

/** One record as the plan reads it. */
export interface SourceRecord {
  path: string;
  type: FileType;
  controlNumber: string | null;
  batesNumber: string | null;
  /** Values of the table's metadata columns, in their order ('' = absent). */
  values: string[];
}

/** A record as it arrives, before the rules: cells by role, metadata values aligned with the columns. */
export interface RawSource {
  filePath: string;
  fileType?: string | undefined;
  controlNumber?: string | undefined;
  batesNumber?: string | undefined;
  values: string[];
}

/** One rule broken: the record (0-based), the column it names, what is wrong. */
export interface SourceProblem {
  record: number;
  column: 'filePath' | 'fileType' | 'controlNumber' | 'batesNumber';
  message: string;
}

/** What the identity rules need from the request. */
export interface SourceContext {
  bates?: { prefix: string; start: number; digits: number } | undefined;
  /** Pages per document at most (tiffPages.max for TIFFs; 1 otherwise): bounds this run's Bates sequence. */
  maxTiffPages: number;
  /** Each document gets `<path minus extension>.txt`: those must differ too. */
  withText: boolean;
  /** A production numbers its documents itself: a source Bates number is refused (as Zipper does). */
  production?: boolean;
}

/** Problems collected before a build gives up: enough to list MAX_LISTED_ERRORS and say how many more. */
export const MAX_SOURCE_PROBLEMS = 1000;

const KEYS = 4; // path, control number, Bates number, path without extension (withText: the text file's)

/**
 * Writes records to a spill file as they come, checking each against the rules; `finish` runs the
 * checks that need every record (duplicates, identities that collide with generated ones).
 */
export class SourceTableBuilder {
  readonly problems: SourceProblem[] = [];
  private readonly dir: string;
  private readonly file: string;
  private readonly fd: number;
  private readonly digest: Hash = createHash('sha256');
  private offsets = new Float64Array(1024);
  private hashes = new Float64Array(1024 * KEYS);
  private count = 0;
  private written = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly typeCounts = new Map<FileType, number>();
  /** Given control numbers shaped like generated ones, Bates numbers in the sequence's shape: checked once the count is known. */
  private readonly controlCandidates: Array<[record: number, width: number, index: number]> = [];
  private readonly batesCandidates: Array<[record: number, value: number]> = [];
  private closed = false;

  constructor(
    tempDir: string,
    readonly columns: string[],
    private readonly context: SourceContext,
  ) {
    this.dir = makeSpillDir(tempDir);
    this.file = join(this.dir, 'sources.jsonl');
    this.fd = openSync(this.file, 'w+');
    this.digest.update(JSON.stringify(columns));
  }

  get records(): number {
    return this.count;
  }

  /** Whether enough problems are known that reading on is pointless. */
  get full(): boolean {
    return this.problems.length >= MAX_SOURCE_PROBLEMS;
  }

  private report(record: number, column: SourceProblem['column'], message: string): void {
    if (!this.full) this.problems.push({ record, column, message });
  }

  add(raw: RawSource): void {
    const record = this.count++;
    if (this.offsets.length < this.count + 1) this.grow();
    const path = sanitizeSourcePath(raw.filePath);
    let type: FileType = 'pdf';
    let bad = false;
    if (!path.ok) {
      this.report(record, 'filePath', path.message);
      bad = true;
    } else {
      const typed = sourceType(path.value, raw.fileType);
      if ('type' in typed) type = typed.type;
      else {
        this.report(record, typed.column, typed.message);
        bad = true;
      }
    }
    const control = blankToNull(raw.controlNumber);
    const bates = blankToNull(raw.batesNumber);
    for (const [column, value] of [['controlNumber', control], ['batesNumber', bates]] as const) {
      if (value === null) continue;
      const problem = identityProblem(value);
      if (problem) {
        this.report(record, column, problem);
        bad = true;
      }
    }
    if (control !== null) {
      const index = generatedControlIndex(control, control.length - 3);
      if (index !== null) this.controlCandidates.push([record, control.length - 3, index]);
    }
    if (bates !== null) {
      if (this.context.production) {
        this.report(record, 'batesNumber', 'a production numbers its documents itself (one Bates number each, from bates.start): a source Bates number is not supported with production');
        bad = true;
      } else if (!this.context.bates?.prefix) {
        this.report(record, 'batesNumber', 'a given Bates number needs bates.prefix (the run\'s own numbering it joins)');
        bad = true;
      } else {
        const number = sequenceBatesNumber(bates, this.context.bates);
        if (number !== null) this.batesCandidates.push([record, number]);
      }
    }
    const keyAt = record * KEYS;
    this.hashes[keyAt] = path.ok ? keyHash(path.value) : -1;
    this.hashes[keyAt + 1] = control === null ? -1 : keyHash(control);
    this.hashes[keyAt + 2] = bates === null ? -1 : keyHash(bates);
    this.hashes[keyAt + 3] = path.ok && this.context.withText ? keyHash(textStem(path.value)) : -1;
    if (bad) {
      // Nothing of a bad record is written: its offset repeats, and the build fails anyway.
      this.offsets[record + 1] = this.written + this.pendingBytes;
      return;
    }
    this.typeCounts.set(type, (this.typeCounts.get(type) ?? 0) + 1);
    const line = Buffer.from(`${JSON.stringify([path.ok ? path.value : '', type, control, bates, ...raw.values])}\n`, 'utf8');
    this.digest.update(line);
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.offsets[record + 1] = this.written + this.pendingBytes;
    if (this.pendingBytes >= 256 * 1024) this.flush();
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const hashes = new Float64Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at, this.written + at);
    this.written += bytes.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * The table, or the problems: duplicates (case-insensitive) of paths, control numbers and Bates
   * numbers, and given identities that are generated ones of this run (`DOC` + index at the plan's
   * width for 1 ≤ index ≤ count; a number of the Bates sequence from bates.start over every page).
   */
  finish(): { ok: true; table: SourceTable } | { ok: false; problems: SourceProblem[] } {
    this.flush();
    const count = this.count;
    const width = Math.max(8, String(count).length);
    for (const [record, digits, index] of this.controlCandidates) {
      if (digits === width && index >= 1 && index <= count) {
        this.report(record, 'controlNumber', `is a control number this run generates (DOC + ${width} digits, 1 … ${count}): give another, or leave it out`);
      }
    }
    const bates = this.context.bates;
    if (bates) {
      const last = bates.start + count * this.context.maxTiffPages - 1;
      for (const [record, value] of this.batesCandidates) {
        if (value >= bates.start && value <= last) this.report(record, 'batesNumber', `lies in this run's Bates sequence (${bates.prefix}${String(bates.start).padStart(bates.digits, '0')} onwards, one a page): give another, or leave it out`);
      }
    }
    if (this.problems.length === 0) this.findDuplicates(count);
    this.hashes = new Float64Array(0);
    if (this.problems.length > 0) {
      this.problems.sort((a, b) => a.record - b.record);
      this.remove();
      return { ok: false, problems: this.problems };
    }
    closeSync(this.fd);
    this.closed = true;
    const shared = new Float64Array(new SharedArrayBuffer((count + 1) * 8));
    shared.set(this.offsets.subarray(0, count + 1));
    this.offsets = new Float64Array(0);
    const typeCounts: Partial<Record<FileType, number>> = {};
    for (const type of FILE_TYPES) if (this.typeCounts.has(type)) typeCounts[type] = this.typeCounts.get(type)!;
    return {
      ok: true,
      table: { file: this.file, dir: this.dir, offsets: shared, count, columns: this.columns, typeCounts, digest: this.digest.digest('base64url') },
    };
  }

  /**
   * Duplicate keys by their 52-bit hashes, sorted natively (no per-record objects); equal hashes are
   * confirmed on the records themselves, so a hash collision is never reported.
   */
  private findDuplicates(count: number): void {
    const columns = ['filePath', 'controlNumber', 'batesNumber', 'filePath'] as const;
    for (let key = 0; key < KEYS; key++) {
      const sorted = new Float64Array(count);
      for (let record = 0; record < count; record++) sorted[record] = this.hashes[record * KEYS + key]!;
      sorted.sort();
      const repeated = new Set<number>();
      for (let k = 1; k < count; k++) if (sorted[k] === sorted[k - 1] && sorted[k]! >= 0) repeated.add(sorted[k]!);
      if (repeated.size === 0) continue;
      const reader = new SourceReader(this.file, this.offsets);
      const firstOf = new Map<string, number>();
      for (let record = 0; record < count && !this.full; record++) {
        if (!repeated.has(this.hashes[record * KEYS + key]!)) continue;
        const source = reader.read(record);
        const value = key === 0 ? source.path : key === 1 ? source.controlNumber! : key === 2 ? source.batesNumber! : `${textStem(source.path)}.txt`;
        const folded = value.toLowerCase();
        const first = firstOf.get(folded);
        if (first === undefined) firstOf.set(folded, record);
        else if (key === 3) this.report(record, 'filePath', `its extracted text "${value}" (withText) is record ${first + 1}'s too, ignoring case: paths must differ in more than their extension`);
        else this.report(record, columns[key]!, `"${value}" is given already (record ${first + 1}), ignoring case: each must be unique`);
      }
      reader.close();
    }
  }

  /** Drops the spill file (after a failed build, or a request that ended before using it). */
  remove(): void {
    if (!this.closed) {
      closeSync(this.fd);
      this.closed = true;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A path without its extension (the text file's, withText). */
export function textStem(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? path.slice(0, dot) : path;
}

function blankToNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** 52 bits of a case-folded key: two FNV-1a lanes. Never negative (−1 marks an absent key). */
function keyHash(value: string): number {
  const folded = value.toLowerCase();
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let k = 0; k < folded.length; k++) {
    const c = folded.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

/**
 * What a validated request carries for its sources until the handler gives it the table built
 * before validation (http/sources.ts): no file, `count` records. Never planned from.
 */
export function pendingSourceTable(count: number): SourceTable {
  return { file: '', dir: '', offsets: new Float64Array(0), count, columns: [], typeCounts: {}, digest: '' };
}

/** Removes a table's spill file. */
export function removeSourceTable(table: SourceTable): void {
  rmSync(table.dir, { recursive: true, force: true });
}

const BLOCK_BYTES = 64 * 1024;

/** Random access to a table's records: one block of the file cached, and the last record parsed. */
export class SourceReader {
  private readonly fd: number;
  private backing = Buffer.alloc(0);
  private block = Buffer.alloc(0);
  private blockAt = 0;
  private lastIndex = -1;
  private last: SourceRecord | null = null;

  constructor(
    file: string,
    private readonly offsets: Float64Array,
  ) {
    this.fd = openSync(file, 'r');
  }

  /** Record `record` (0-based). */
  read(record: number): SourceRecord {
    if (record === this.lastIndex) return this.last!;
    const start = this.offsets[record]!;
    const end = this.offsets[record + 1]!;
    if (start < this.blockAt || end > this.blockAt + this.block.length) this.load(start, end);
    const cells = JSON.parse(this.block.toString('utf8', start - this.blockAt, end - this.blockAt)) as Array<string | null>;
    const [path, type, controlNumber, batesNumber, ...values] = cells;
    this.last = { path: path!, type: type as FileType, controlNumber: controlNumber ?? null, batesNumber: batesNumber ?? null, values: values as string[] };
    this.lastIndex = record;
    return this.last;
  }

  private load(start: number, end: number): void {
    const length = Math.max(BLOCK_BYTES, end - start);
    if (this.backing.length < length) this.backing = Buffer.allocUnsafe(length);
    const read = readSync(this.fd, this.backing, 0, length, start);
    this.block = this.backing.subarray(0, read);
    this.blockAt = start;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** One reader per table file and thread, kept while the table is in use (a few at a time). */
const readers = new Map<string, SourceReader>();
const MAX_READERS = 8;

export function sourceReader(table: SourceTable): SourceReader {
  let reader = readers.get(table.file);
  if (reader) {
    // Most recently used last.
    readers.delete(table.file);
    readers.set(table.file, reader);
    return reader;
  }
  reader = new SourceReader(table.file, table.offsets);
  readers.set(table.file, reader);
  if (readers.size > MAX_READERS) {
    const [oldest, stale] = readers.entries().next().value!;
    readers.delete(oldest);
    stale.close();
  }
  return reader;
}

/** Closes this thread's reader of a table (its file is about to go). */
export function closeSourceReader(table: SourceTable): void {
  const reader = readers.get(table.file);
  if (!reader) return;
  readers.delete(table.file);
  reader.close();
}
