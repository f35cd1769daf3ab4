import type { ArchiveRequest, DatDelimiterPreset, LineEnding } from '../request.js';

/** How a delimited load file separates, quotes and ends its fields and lines. */
export interface LoadFileDialect {
  column: string;
  /** null: fields are never quoted. */
  quote: string | null;
  /** Replaces line breaks inside a value. */
  newline: string;
  multiValue: string;
  nestedValue: string;
  /** Line end written after the header and every row. */
  eol: string;
}

type Delimiters = Omit<LoadFileDialect, 'eol'>;

/** Zipper's presets: Concordance's DC4 / þ / ®, or comma, double quote and a space for line breaks. */
export const DAT_PRESETS: Record<DatDelimiterPreset, Delimiters> = {
  standard: { column: '\u0014', quote: '\u00fe', newline: '\u00ae', multiValue: ';', nestedValue: '\\' },
  csv: { column: ',', quote: '"', newline: ' ', multiValue: ';', nestedValue: '\\' },
};

export const LINE_END: Record<LineEnding, string> = { CRLF: '\r\n', LF: '\n', CR: '\r' };

/** The request's dialect: the preset, the delimiters given over it, the line end. */
export function resolveDialect(request: Pick<ArchiveRequest, 'datDelimiters' | 'delimiters' | 'eol'>): LoadFileDialect {
  return { ...DAT_PRESETS[request.datDelimiters], ...request.delimiters, eol: LINE_END[request.eol] };
}

/** Why a dialect cannot be written unambiguously (a field delimiter that is also the quote, a line break…), or null. */
export function dialectConflict(dialect: LoadFileDialect): { field: string; message: string } | null {
  if (dialect.column === '\r' || dialect.column === '\n') return { field: 'delimiters.column', message: 'a line break cannot separate columns' };
  if (dialect.quote === dialect.column) return { field: 'delimiters.quote', message: 'the quote must differ from the column delimiter' };
  if (dialect.newline === '\r' || dialect.newline === '\n') return { field: 'delimiters.newline', message: 'stands for a line break inside a value: it cannot be one' };
  if (dialect.newline === dialect.column) return { field: 'delimiters.newline', message: 'must differ from the column delimiter' };
  if (dialect.quote !== null && dialect.newline === dialect.quote) return { field: 'delimiters.newline', message: 'must differ from the quote' };
  return null;
}
