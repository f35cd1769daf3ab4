import type { Readable } from 'node:stream';
import { DatFormatError, datLines, splitDatLine, type DatReading } from './dat-reader.js';

/** Where the fields a comparison needs sit in a DAT's header (-1: absent). */
export interface DatColumns {
  bates: number;
  control: number;
  path: number;
  volume: number;
  /** In the order their values are preferred: MD5, SHA-256, SHA-1. */
  hashes: number[];
}

const ALIASES = {
  bates: ['BATES_NUMBER', 'BATES', 'BEGDOC'],
  control: ['DOCID', 'CONTROL', 'CONTROL_NUMBER'],
  path: ['NATIVE_PATH', 'PATH', 'FILE_PATH'],
  volume: ['VOLUME'],
  md5: ['MD5HASH', 'MD5'],
  sha256: ['SHA256HASH', 'SHA256'],
  sha1: ['SHA1HASH', 'SHA1'],
};

export const MISSING_BATES = 'DAT load file is missing a required Bates number column (BATES_NUMBER, BATES, or BEGDOC).';

/** The header's columns, matched in any case (the first column bearing any alias of a role), or null without a Bates column. */
export function datColumns(header: string[]): DatColumns | null {
  const upper = header.map((name) => name.toUpperCase());
  const find = (names: string[]) => upper.findIndex((name) => names.includes(name));
  const bates = find(ALIASES.bates);
  if (bates < 0) return null;
  return {
    bates,
    control: find(ALIASES.control),
    path: find(ALIASES.path),
    volume: find(ALIASES.volume),
    hashes: [find(ALIASES.md5), find(ALIASES.sha256), find(ALIASES.sha1)].filter((index) => index >= 0),
  };
}

/**
 * A stored value that does not keep the line it was cut from alive: V8 makes a slice of 13 or more
 * characters a view into its parent string (here the line, itself a view into a decoded chunk).
 */
function own(value: string): string {
  return value.length < 13 ? value : Buffer.from(value, 'utf16le').toString('utf16le');
}

/** Zipper's volume for a row without one: the path's first VOL… or …volume… segment, else its folder, else VOL001. */
export function inferVolume(path: string): string {
  const parts = path.replaceAll('\\', '/').split('/');
  const named = parts.find((part) => part.toUpperCase().startsWith('VOL') || part.toLowerCase().includes('volume'));
  return named ?? (parts.length > 1 ? parts[parts.length - 2]! : 'VOL001');
}

/**
 * The rows of one side of a comparison (all the priors, or the new set), kept column-wise with only
 * what the comparison reports: Bates, control number (absent when it is the Bates), path, hash, volume
 * (interned), the set it came from and its line. About 150-250 bytes a row (paths dominate); never the
 * DAT's other columns or its text.
 */
export class RecordSet {
  readonly productionIds: string[] = [];
  readonly bates: string[] = [];
  readonly controls: (string | undefined)[] = [];
  readonly paths: string[] = [];
  readonly hashes: string[] = [];
  readonly volumeIndex: number[] = [];
  readonly volumes: string[] = [];
  readonly production: number[] = [];
  readonly lines: number[] = [];
  private readonly volumeIds = new Map<string, number>();

  get size(): number {
    return this.bates.length;
  }

  control(index: number): string {
    return this.controls[index] ?? this.bates[index]!;
  }

  volume(index: number): string {
    return this.volumes[this.volumeIndex[index]!]!;
  }

  /** Starts the rows of a production; returns its index. */
  addProduction(productionId: string): number {
    return this.productionIds.push(productionId) - 1;
  }

  private volumeId(volume: string): number {
    let id = this.volumeIds.get(volume);
    if (id === undefined) {
      id = this.volumes.push(own(volume)) - 1;
      this.volumeIds.set(this.volumes[id]!, id);
    }
    return id;
  }

  /** Moves every row of `other` (one production's, read before it was known to be a prior) to the end of this set. */
  absorb(other: RecordSet): void {
    const productions = other.productionIds.map((id) => this.addProduction(id));
    const volumes = other.volumes.map((volume) => this.volumeId(volume));
    for (let i = 0; i < other.size; i++) {
      this.bates.push(other.bates[i]!);
      this.controls.push(other.controls[i]);
      this.paths.push(other.paths[i]!);
      this.hashes.push(other.hashes[i]!);
      this.volumeIndex.push(volumes[other.volumeIndex[i]!]!);
      this.production.push(productions[other.production[i]!]!);
      this.lines.push(other.lines[i]!);
    }
  }

  add(production: number, line: number, fields: string[], columns: DatColumns): void {
    const value = (index: number) => (index >= 0 && index < fields.length ? fields[index]!.trim() : '');
    const bates = own(value(columns.bates));
    const control = value(columns.control);
    const path = own(value(columns.path));
    let hash = '';
    for (const index of columns.hashes) {
      if (index < fields.length && fields[index] !== '') {
        hash = own(fields[index]!.trim());
        break;
      }
    }
    let volume = value(columns.volume);
    if (volume === '' && path !== '') volume = inferVolume(path);
    const volumeId = this.volumeId(volume);
    this.bates.push(bates);
    // Zipper falls back on the Bates as the control key.
    this.controls.push(control === '' || control === bates ? undefined : own(control));
    this.paths.push(path);
    this.hashes.push(hash);
    this.volumeIndex.push(volumeId);
    this.production.push(production);
    this.lines.push(line);
  }
}

export class RecordLimitError extends Error {
  override name = 'RecordLimitError';
}

/**
 * Reads one DAT into `into`, streamed: line by line, keeping per row only what RecordSet keeps.
 * Throws DatFormatError for a DAT without a Bates column or with an overlong line, RecordLimitError
 * past `maxRecords` rows.
 */
export async function readDat(input: Readable, reading: DatReading, into: RecordSet, production: number, maxRecords: number): Promise<void> {
  // maxRecords: the rows this DAT may add (the caller's limit less the rows it keeps elsewhere).
  let columns: DatColumns | null | undefined;
  for await (const [line, text] of datLines(input, reading.encoding)) {
    const fields = splitDatLine(text, reading.column, reading.quote);
    if (columns === undefined) {
      columns = datColumns(fields);
      if (columns === null) throw new DatFormatError(MISSING_BATES);
      continue;
    }
    if (into.size >= maxRecords) throw new RecordLimitError(`more than ${maxRecords} rows in this DAT`);
    into.add(production, line, fields, columns!);
  }
  // An empty DAT has no header and no rows: Zipper reads it as no records.
}
