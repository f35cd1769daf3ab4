/**
 * Zipper's rules for source records (its `--input-csv`): the path sanitizer, the type of a record,
 * the identity rules and the CSV header aliases. Pure functions; each answers a problem message or
 * the clean value.
 */
import { FILE_TYPES, type FileType } from '../types.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const problem = <T>(message: string): Checked<T> => ({ ok: false, message });

/** Characters Windows refuses in a name (so a drive letter's `:` fails too). */
const RESERVED_CHARACTERS = /[<>|"?*:]/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** Windows device names, whatever the extension (`nul.txt` is still the device). */
const DEVICE_NAMES = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/**
 * A source path as the archive entry name: trimmed, `\` → `/`, repeated `/` collapsed; refused when
 * empty, rooted, holding reserved or control characters, `.` or `..` segments, a segment ending in
 * a dot or a space, or a Windows device name.
 */
export function sanitizeSourcePath(raw: string): Checked<string> {
  const path = raw.trim().replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  if (path === '') return problem('is empty: give the file\'s path inside the archive, e.g. "docs/a.pdf"');
  const control = CONTROL_CHARACTERS.exec(path);
  if (control) return problem(`holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  const reserved = RESERVED_CHARACTERS.exec(path);
  if (reserved) return problem(`holds "${reserved[0]}": none of < > | " ? * : may appear in a path (drive letters included)`);
  if (path.startsWith('/')) return problem('is rooted (starts with / or \\): give a path relative to the archive root');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') return problem(`has a "${segment}" segment: paths may not climb or point at a folder itself`);
    if (segment.endsWith('.') || segment.endsWith(' ')) return problem(`has the segment "${segment}", which ends in a dot or a space (Windows drops those)`);
    const stem = (segment.includes('.') ? segment.slice(0, segment.indexOf('.')) : segment).trim();
    if (DEVICE_NAMES.test(stem)) return problem(`has the segment "${segment}", a Windows device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9)`);
  }
  return ok(path);
}

/** Extensions of each type a source path may carry. */
const EXTENSION_TYPES: Record<string, FileType> = {
  pdf: 'pdf',
  jpg: 'jpg',
  jpeg: 'jpg',
  tif: 'tiff',
  tiff: 'tiff',
  eml: 'eml',
  docx: 'docx',
  xlsx: 'xlsx',
};

/** The extension of a sanitized path's last segment, lower case, without the dot ('' for none). */
export function pathExtension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Problems of a record's type, by column: `fileType` given (trimmed, a leading `.` dropped) or from the extension. */
export function sourceType(path: string, fileType: string | undefined): { type: FileType } | { column: 'fileType' | 'filePath'; message: string } {
  const extension = pathExtension(path);
  const fromExtension = EXTENSION_TYPES[extension];
  const given = fileType?.trim().replace(/^\./, '').toLowerCase();
  if (given === undefined || given === '') {
    if (fromExtension) return { type: fromExtension };
    return {
      column: 'filePath',
      message: extension === '' ? 'has no extension and no fileType is given: the type comes from one or the other' : `extension ".${extension}" is not one of ${Object.keys(EXTENSION_TYPES).map((e) => `.${e}`).join(' ')}, and no fileType is given`,
    };
  }
  const type = FILE_TYPES.find((candidate) => candidate === given);
  if (!type) return { column: 'fileType', message: `"${fileType}" is not one of ${FILE_TYPES.join(', ')}` };
  if (fromExtension !== type) {
    return { column: 'filePath', message: `extension '${extension === '' ? '' : `.${extension}`}' does not match fileType '${type}'` };
  }
  return { type };
}

/** A control or Bates number given for a record: no control characters, no `/` or `\`. */
export function identityProblem(value: string): string | null {
  const control = CONTROL_CHARACTERS.exec(value);
  if (control) return `holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (/[/\\]/.test(value)) return 'may not hold / or \\ (it names files)';
  return null;
}

/**
 * A given control number that is one the plan generates (`DOC` + the index at the plan's width,
 * any case): its index k, else null. It collides when 1 ≤ k ≤ count.
 */
export function generatedControlIndex(value: string, width: number): number | null {
  const match = /^DOC([0-9]+)$/i.exec(value);
  if (!match || match[1]!.length !== width) return null;
  return Number(match[1]);
}

/** A given Bates number that lies in the sequence prefix + number padded to `digits`: its number, else null. */
export function sequenceBatesNumber(value: string, bates: { prefix: string; digits: number }): number | null {
  if (value.length < bates.prefix.length || value.slice(0, bates.prefix.length).toUpperCase() !== bates.prefix.toUpperCase()) return null;
  const digits = value.slice(bates.prefix.length);
  if (!/^[0-9]+$/.test(digits)) return null;
  // Numbers wider than `digits` are written unpadded; narrower ones never.
  if (digits.length < bates.digits || (digits.length > bates.digits && digits.startsWith('0'))) return null;
  return Number(digits);
}

/** Roles of source columns, after Zipper's header aliases. */
export type SourceRole = 'filePath' | 'fileType' | 'controlNumber' | 'batesNumber';

/** A header as Zipper matches it: case-insensitive, without spaces, `_` and `-`. */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

const ALIASES: Record<string, SourceRole> = {
  filepath: 'filePath',
  filetype: 'fileType',
  controlnumber: 'controlNumber',
  docid: 'controlNumber',
  batesnumber: 'batesNumber',
  bates: 'batesNumber',
  begbates: 'batesNumber',
};

/** The role of a header (FilePath, File Type, DocId, BegBates …), or null: a metadata column. */
export function headerRole(name: string): SourceRole | null {
  return ALIASES[headerKey(name)] ?? null;
}
