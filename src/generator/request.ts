/**
 * What the generator is asked to make: its own types, independent of HTTP. `schemas/` validates
 * request bodies and query strings into an ArchiveRequest; a CLI, a bench or a test can build one
 * directly.
 */
import type { Distribution } from './distribution.js';
import type { Encoding } from './loadfile/encoding.js';
import type { ColumnProfile } from './loadfile/profiles/types.js';
import type { ChaosAmount, ChaosType, ScenarioName } from './chaos/catalogue.js';
import { FILE_TYPES, type FileType } from './types.js';
import type { ProductionOptions } from './production/types.js';

export const LOAD_FILE_FORMATS = ['dat', 'opt', 'csv', 'edrm-xml', 'concordance'] as const;
export type LoadFileFormat = (typeof LOAD_FILE_FORMATS)[number];

export const COMPRESSIONS = ['auto', 'deflate', 'store'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** zip; tar (POSIX ustar with pax headers where needed, uncompressed); tgz (that tar, gzipped). The same entries in each. */
export const ARCHIVE_FORMATS = ['zip', 'tar', 'tgz'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

export const MAX_TIFF_PAGES = 100;
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
export const MAX_FOLDERS = 100;

/** Types an OPT image load file lists. */
export const IMAGE_TYPES: readonly FileType[] = ['pdf', 'jpg', 'tiff'];

export interface BatesOptions {
  prefix: string;
  start: number;
  digits: number;
}

export interface PageRange {
  min: number;
  max: number;
}

export const BUILT_IN_PROFILES = ['minimal', 'standard', 'litigation', 'full'] as const;
export type BuiltInProfileName = (typeof BUILT_IN_PROFILES)[number];

export const DAT_DELIMITER_PRESETS = ['standard', 'csv'] as const;
export type DatDelimiterPreset = (typeof DAT_DELIMITER_PRESETS)[number];

export const LINE_ENDINGS = ['CRLF', 'LF', 'CR'] as const;
export type LineEnding = (typeof LINE_ENDINGS)[number];

export const HASH_MODES = ['none', 'actual', 'simulated'] as const;
export type HashMode = (typeof HASH_MODES)[number];

/** Fixed column order of hash columns (MD5HASH, SHA1HASH, SHA256HASH), whatever order they are asked in. */
export const HASH_ALGORITHMS = ['md5', 'sha1', 'sha256'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/**
 * Delimiter overrides over the preset, each one character (or null for `quote: none`): DAT uses
 * all five; Concordance the column delimiter; multi-value fields are joined with `multiValue`.
 */
export interface DelimiterOverrides {
  column?: string;
  quote?: string | null;
  newline?: string;
  multiValue?: string;
  nestedValue?: string;
}

export interface ArchiveRequest {
  count: number;
  fileType?: FileType | undefined;
  fileTypes?: Partial<Record<FileType, number>> | undefined;
  folders: number;
  distribution: Distribution;
  withMetadata: boolean;
  withText: boolean;
  withFamilies: boolean;
  attachmentRate: number;
  targetSize?: number | undefined;
  includeLoadFile: boolean;
  loadFileFormat?: LoadFileFormat | undefined;
  loadFileFormats?: LoadFileFormat[] | undefined;
  bates?: BatesOptions | undefined;
  tiffPages?: PageRange | undefined;
  encoding: Encoding;
  seed?: number | undefined;
  compression: Compression;
  format: ArchiveFormat;
  name: string;
  /** Built-in profile name or an inline custom profile; absent: SPEC's fixed column set. */
  columnProfile?: BuiltInProfileName | ColumnProfile | undefined;
  withCollectionMetadata: boolean;
  /** Date rendering (tokens yyyy MM dd HH mm ss); absent: each column set's own. */
  dateFormat?: string | undefined;
  /** 0–100: optional columns left blank at this rate; absent: the profile's own rates. */
  emptyPercentage?: number | undefined;
  /** Size of the profile's `custodians` data source; absent: the profile's own. */
  custodianCount?: number | undefined;
  datDelimiters: DatDelimiterPreset;
  delimiters?: DelimiterOverrides | undefined;
  eol: LineEnding;
  hashMode: HashMode;
  /** Absent: md5 when hashMode is on. */
  hashAlgorithms?: HashAlgorithm[] | undefined;
  withAudit: boolean;
  /** Seeded anomalies with an answer key: absent, none. */
  chaos?: ChaosOptions | undefined;
  /** A production (SPEC v2): one folder per set, volumes, Bates-named files, DAT + OPT, manifest. Not wired yet. */
  production?: ProductionOptions | undefined;
  /**
   * Source-driven set (Zipper's --input-csv): one placeholder per record, at its path, of its type,
   * with its identities; count is the record count, folders and distribution do not apply.
   */
  sources?: SourceTable | undefined;
}

/**
 * Validated source records, kept in a spill file (one JSON line each) and found through `offsets`
 * (record i's line is bytes offsets[i] … offsets[i+1]), shared memory that workers receive without a
 * copy. Made by sources/table.ts; `digest` stands for the records in ETags.
 */
export interface SourceTable {
  file: string;
  /** The spill folder that holds `file` (removed with it). */
  dir: string;
  offsets: Float64Array;
  count: number;
  /** Metadata column names, as given, in order (record values align with them). */
  columns: string[];
  typeCounts: Partial<Record<FileType, number>>;
  digest: string;
}

/** `amount` absent: the scenario's, else 1 %; `types` absent: the scenario's, else every load-file type of the requested formats. */
export interface ChaosOptions {
  amount?: ChaosAmount | undefined;
  types?: ChaosType[] | undefined;
  scenario?: ScenarioName | undefined;
}

/** A request whose seed is settled: everything the archive is a pure function of. */
export type ResolvedRequest = ArchiveRequest & { seed: number };

/** The document types a request asks for, in FILE_TYPES order. */
export function requestedTypes(request: Pick<ArchiveRequest, 'fileType' | 'fileTypes'>): FileType[] {
  if (request.fileTypes) return FILE_TYPES.filter((type) => (request.fileTypes?.[type] ?? 0) > 0);
  return [request.fileType ?? 'pdf'];
}

/** Load-file formats a request asks for (dat by default). */
export function requestedLoadFileFormats(request: Pick<ArchiveRequest, 'loadFileFormat' | 'loadFileFormats'>): LoadFileFormat[] {
  return request.loadFileFormats ?? [request.loadFileFormat ?? 'dat'];
}

/** Hashes the load files list, in their fixed column order (none when hashMode is none). */
export function requestedHashAlgorithms(request: Pick<ArchiveRequest, 'hashMode' | 'hashAlgorithms'>): HashAlgorithm[] {
  if (request.hashMode === 'none') return [];
  const asked = request.hashAlgorithms ?? ['md5'];
  return HASH_ALGORITHMS.filter((algorithm) => asked.includes(algorithm));
}
