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
