import { datEncoding, parseDelimiterNotation, type DatReading } from './dat-reader.js';
import { isJsonObject } from '../../json-object.js';

/** What a comparison takes from a production's `_manifest.json`. */
export interface ComparedManifest {
  productionId: string;
  /** `loadFiles.dat`: where the DAT sits, relative to the manifest's folder. */
  datPath: string;
  reading: DatReading;
}

/** A manifest that cannot be compared: the field at fault (dotted, within the manifest) and why. */
export interface ManifestError {
  field: string;
  message: string;
}

/**
 * A DAT path that stays inside the manifest's folder: relative, no drive, no `..` segment (Zipper
 * refuses `..` anywhere in it, a rooted path, and anything resolving outside the folder).
 */
export function datPathProblem(path: string): string | null {
  if (path.trim() === '') return 'is empty';
  if (/[\u0000-\u001f]/.test(path)) return 'holds a control character';
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path)) return `'${path}' is rooted: it must be relative to the manifest's folder`;
  if (path.includes('..')) return `'${path}' escapes the manifest's folder (..)`;
  return null;
}

/**
 * Reads a manifest's text. Keys are matched in any case (Zipper reads them case-insensitively).
 * Required: productionId and loadFiles.dat (what names the set and its DAT). settings are optional, as in
 * Zipper (UTF-8, DC4, þ by default), but when given they must be readable: an unknown encoding or
 * delimiter notation is an error here, where Zipper warns and falls back.
 */
export function parseManifest(text: string): ComparedManifest | ManifestError {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { field: '', message: `is not valid JSON: ${(error as Error).message}` };
  }
  if (!isJsonObject(json)) return { field: '', message: 'is not a JSON object' };
  const get = (object: Record<string, unknown>, key: string): unknown => {
    const found = Object.keys(object).find((name) => name.toLowerCase() === key.toLowerCase());
    return found === undefined ? undefined : object[found];
  };
  const productionId = get(json, 'productionId');
  if (typeof productionId !== 'string' || productionId.trim() === '') return { field: 'productionId', message: 'is missing: a non-empty string is required' };
  const loadFiles = get(json, 'loadFiles');
  if (!isJsonObject(loadFiles)) return { field: 'loadFiles', message: 'is missing: an object with the DAT path (loadFiles.dat) is required' };
  const datPath = get(loadFiles, 'dat');
  if (typeof datPath !== 'string') return { field: 'loadFiles.dat', message: 'is missing: the DAT path is required' };
  const pathProblem = datPathProblem(datPath);
  if (pathProblem) return { field: 'loadFiles.dat', message: pathProblem };
  const settings = get(json, 'settings') ?? {};
  if (!isJsonObject(settings)) return { field: 'settings', message: 'is not an object' };
  const setting = (key: string, fallback: string): string | ManifestError => {
    const value = get(settings, key) ?? fallback;
    return typeof value === 'string' ? value : { field: `settings.${key}`, message: 'is not a string' };
  };
  const encodingName = setting('encoding', 'UTF-8');
  if (typeof encodingName !== 'string') return encodingName;
  const encoding = datEncoding(encodingName);
  if (!encoding) return { field: 'settings.encoding', message: `'${encodingName}' is not an encoding: UTF-8, UTF-16, ANSI (or UTF-16LE, UNICODE, WINDOWS-1252, ASCII)` };
  const columnNotation = setting('columnDelimiter', 'ascii:20');
  if (typeof columnNotation !== 'string') return columnNotation;
  // An empty column delimiter reads as the default, as in Zipper.
  const column = columnNotation === '' ? '\u0014' : parseDelimiterNotation(columnNotation, false);
  if (typeof column !== 'string') return { field: 'settings.columnDelimiter', message: `'${columnNotation}' is not ascii:N (0-255) or char:C` };
  const quoteNotation = setting('quoteDelimiter', 'char:\u00fe');
  if (typeof quoteNotation !== 'string') return quoteNotation;
  const quote = parseDelimiterNotation(quoteNotation, true);
  if (quote === undefined) return { field: 'settings.quoteDelimiter', message: `'${quoteNotation}' is not ascii:N (0-255), char:C or none` };
  if (quote === column) return { field: 'settings.quoteDelimiter', message: 'is the column delimiter too' };
  if (column === '\r' || column === '\n') return { field: 'settings.columnDelimiter', message: 'a line break cannot separate columns' };
  return { productionId, datPath, reading: { encoding, column, quote } };
}

export function isManifestError(value: ComparedManifest | ManifestError): value is ManifestError {
  return 'message' in value;
}
