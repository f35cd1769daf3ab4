import iconv from 'iconv-lite';

const ICONV: Record<string, string> = { 'UTF-8': 'utf8', 'UTF-16': 'utf16le', ANSI: 'windows-1252' };

/**
 * Parses a Concordance DAT independently of the generator: decode with iconv-lite, split rows on
 * CRLF, fields on DC4, and strip the þ qualifiers (throwing when a field is not qualified).
 */
export function parseDat(bytes: Buffer, encoding: 'UTF-8' | 'UTF-16' | 'ANSI'): { header: string[]; rows: string[][] } {
  const text = iconv.decode(bytes, ICONV[encoding] as string, { stripBOM: true });
  if (!text.endsWith('\r\n')) throw new Error('DAT must end with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  const parsed = lines.map((line, lineNumber) =>
    line.split('\u0014').map((field) => {
      if (field.length < 2 || !field.startsWith('\u00fe') || !field.endsWith('\u00fe')) {
        throw new Error(`line ${lineNumber + 1}: unqualified field ${JSON.stringify(field)}`);
      }
      return field.slice(1, -1);
    }),
  );
  const [header, ...rows] = parsed;
  if (!header) throw new Error('DAT has no header row');
  return { header, rows };
}

/**
 * Parses a delimited load file in any dialect, independently of the generator: records end at `eol`
 * outside quotes; a field starting with the quote runs to the quote that is not doubled (a doubled
 * quote is one quote character); with no quote, fields are split on the column delimiter alone.
 */
export function parseDelimited(text: string, dialect: { column: string; quote: string | null; eol: string }): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let at = 0;
  while (at < text.length) {
    let value = '';
    if (dialect.quote !== null && text.startsWith(dialect.quote, at)) {
      at += dialect.quote.length;
      for (;;) {
        const close = text.indexOf(dialect.quote, at);
        if (close < 0) throw new Error(`unterminated quoted field at ${at}`);
        value += text.slice(at, close);
        at = close + dialect.quote.length;
        if (!text.startsWith(dialect.quote, at)) break;
        value += dialect.quote;
        at += dialect.quote.length;
      }
    } else {
      const ends = [text.indexOf(dialect.column, at), text.indexOf(dialect.eol, at)].filter((index) => index >= 0);
      const end = ends.length > 0 ? Math.min(...ends) : text.length;
      value = text.slice(at, end);
      at = end;
    }
    fields.push(value);
    if (text.startsWith(dialect.column, at)) {
      at += dialect.column.length;
    } else if (text.startsWith(dialect.eol, at)) {
      at += dialect.eol.length;
      records.push(fields);
      fields = [];
    } else if (at < text.length) {
      throw new Error(`expected a delimiter or a line end at ${at}, found ${JSON.stringify(text.slice(at, at + 10))}`);
    }
  }
  if (fields.length > 0) throw new Error('the last record has no line end');
  return records;
}
