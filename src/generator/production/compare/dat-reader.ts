import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';

/** How a DAT to compare is read: the manifest's settings, in Zipper's notation, resolved. */
export interface DatReading {
  /** iconv-lite name. */
  encoding: string;
  column: string;
  /** null: fields are not quoted (`none` or an empty notation). */
  quote: string | null;
}

/** The longest line read: a DAT without line breaks must not be held whole. */
export const MAX_LINE_LENGTH = 1024 * 1024;

export class DatFormatError extends Error {
  override name = 'DatFormatError';
}

/**
 * The encodings a manifest may name: ours (UTF-8, UTF-16, ANSI) and the other names Zipper's reader
 * accepts. A byte-order mark is skipped in any of them.
 */
const ENCODINGS: Record<string, string> = {
  'UTF-8': 'utf8',
  UTF8: 'utf8',
  'UTF-16': 'utf16le',
  'UTF-16LE': 'utf16le',
  UNICODE: 'utf16le',
  ANSI: 'windows-1252',
  'WINDOWS-1252': 'windows-1252',
  ASCII: 'ascii',
};

export function datEncoding(name: string): string | undefined {
  return ENCODINGS[name.toUpperCase()];
}

/**
 * One delimiter in Zipper's notation: `ascii:N` (0–255), `char:C`, or for a quote `none` / "" (no
 * quoting). Undefined when the notation is not one of these.
 */
export function parseDelimiterNotation(notation: string, quote: boolean): string | null | undefined {
  if (quote && (notation === '' || notation.toLowerCase() === 'none')) return null;
  const ascii = /^ascii:([0-9]{1,3})$/i.exec(notation);
  if (ascii) {
    const code = Number(ascii[1]);
    return code <= 255 ? String.fromCharCode(code) : undefined;
  }
  // One UTF-16 unit, as Zipper takes the first char after the prefix.
  if (/^char:/i.test(notation) && notation.length > 5) return notation[5];
  return undefined;
}

/**
 * A DAT's lines, decoded as they arrive. Lines end at CRLF, LF or CR, as Zipper reads them: the DAT
 * writer (ours and Zipper's) replaces line breaks inside a value with the newline delimiter (®), so a
 * line break always ends a record. Empty lines are skipped but counted. Yields [line number, text].
 */
export async function* datLines(input: Readable, encoding: string): AsyncGenerator<[number, string]> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  let pending = '';
  let lineNumber = 0;
  let afterCr = false;
  const take = function* (text: string, final: boolean): Generator<[number, string]> {
    let at = 0;
    if (afterCr && text.startsWith('\n')) at = 1;
    afterCr = false;
    for (;;) {
      let end = -1;
      for (let i = at; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          end = i;
          break;
        }
      }
      if (end < 0) break;
      const line = pending + text.slice(at, end);
      pending = '';
      lineNumber++;
      if (line !== '') yield [lineNumber, line];
      if (text.charCodeAt(end) === 13) {
        if (end + 1 === text.length) afterCr = true;
        else if (text.charCodeAt(end + 1) === 10) end++;
      }
      at = end + 1;
    }
    pending += text.slice(at);
    if (pending.length > MAX_LINE_LENGTH) throw new DatFormatError(`line ${lineNumber + 1} is longer than ${MAX_LINE_LENGTH} characters`);
    if (final && pending !== '') {
      lineNumber++;
      yield [lineNumber, pending];
      pending = '';
    }
  };
  for await (const chunk of input) yield* take(decoder.write(chunk as Buffer), false);
  yield* take(decoder.end() ?? '', true);
}

/**
 * A line's fields as Zipper splits them: the quote toggles quoting wherever it stands, a doubled quote
 * inside quotes is one quote character, the column delimiter splits outside quotes only. Lenient by
 * design (a stray quote does not fail the line): this reads what loaders are given, not only what we write.
 */
export function splitDatLine(line: string, column: string, quote: string | null): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === quote) {
      field += line.slice(from, i);
      if (quoted && line[i + 1] === quote) {
        field += quote;
        i++;
      } else quoted = !quoted;
      from = i + 1;
    } else if (c === column && !quoted) {
      fields.push(field + line.slice(from, i));
      field = '';
      from = i + 1;
    }
  }
  fields.push(field + line.slice(from));
  return fields;
}
