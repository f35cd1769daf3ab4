/**
 * The audit file beside a load file (`withAudit`): Zipper's `_properties.json` schema — what the
 * load file is, how many records it holds and the dialect it is written in — so a loader's test
 * can read the expected settings instead of guessing them.
 */
import type { LoadFileFormat } from '../request.js';
import type { ArchivePlan } from '../plan.js';
import { CONCORDANCE_QUOTE } from './formats.js';
import { resolveDialect, type LoadFileDialect } from './dialect.js';
import { auditChaosMode } from '../chaos/answer-key.js';

const FORMAT_LABELS: Record<LoadFileFormat, string> = {
  dat: 'DAT (Metadata)',
  opt: 'OPT (Image)',
  csv: 'CSV (Metadata)',
  'edrm-xml': 'EDRM-XML (Metadata)',
  concordance: 'Concordance (Metadata)',
};

/** The audit file's name: the load file's own name (extension kept, so archive.dat's and archive.opt's differ) + `_properties.json`. */
export function auditFileName(loadFileName: string): string {
  return `${loadFileName}_properties.json`;
}

/** A delimiter as Zipper shows it: `none`, `ascii:N` outside printable ASCII, else `char:C`. */
export function delimiterLabel(delimiter: string | null): string {
  if (delimiter === null || delimiter === '') return 'none';
  const code = delimiter.charCodeAt(0);
  return code < 32 || code > 126 ? `ascii:${code}` : `char:${delimiter}`;
}

type Delimiters = Record<'column' | 'quote' | 'newline' | 'multiValue' | 'nestedValue', string | null>;

/** The delimiters each format really writes with. */
function delimitersOf(format: LoadFileFormat, dialect: LoadFileDialect): Delimiters {
  const values = { multiValue: dialect.multiValue, nestedValue: dialect.nestedValue };
  switch (format) {
    case 'dat':
      return { column: dialect.column, quote: dialect.quote, newline: dialect.newline, ...values };
    case 'concordance':
      return { column: dialect.column, quote: CONCORDANCE_QUOTE, newline: dialect.newline, ...values };
    case 'csv':
      // RFC 4180: line breaks stay inside quoted values.
      return { column: ',', quote: '"', newline: null, ...values };
    case 'opt':
      return { column: ',', quote: null, newline: null, multiValue: null, nestedValue: null };
    case 'edrm-xml':
      return { column: null, quote: null, newline: null, ...values };
  }
}

/**
 * JSON as System.Text.Json writes it with WriteIndented and its default encoder: two-space indent,
 * `": "`, non-ASCII and HTML-sensitive characters as \uXXXX (upper-case hex), LF line ends.
 */
export function dotnetJson(value: unknown, indent = ''): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') {
    const escaped = value.replace(/[\\]|[^\x20-\x7e]|["<>&'+`]/g, (c) => {
      if (c === '\\') return '\\\\';
      const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
      return short[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    });
    return `"${escaped}"`;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + dotnetJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  const fields = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
  if (fields.length === 0) return '{}';
  return `{\n${fields.map(([key, field]) => `${inner}${dotnetJson(key)}: ${dotnetJson(field, inner)}`).join(',\n')}\n${indent}}`;
}

/** Stands for the streamed anomaly list in the audit's JSON text until it is split there. */
const INJECTED = 'zipper:injected-anomalies';

/**
 * The audit file of one load file, once its records are counted, in pieces: its chaos anomalies
 * (there may be millions) are written one at a time.
 */
export function* auditFile(plan: ArchivePlan, format: LoadFileFormat, loadFileName: string, totalRecords: number): Generator<Buffer> {
  const dialect = resolveDialect(plan.request);
  const delimiters = delimitersOf(format, dialect);
  const chaos = auditChaosMode(plan, format);
  const audit = {
    fileName: loadFileName,
    format: FORMAT_LABELS[format],
    totalRecords,
    properties: {
      encoding: plan.request.encoding,
      lineEnding: plan.request.eol,
      delimiters: Object.fromEntries(Object.entries(delimiters).map(([name, delimiter]) => [name, delimiterLabel(delimiter)])),
    },
    chaosMode: chaos.injected ? { ...chaos.section, injectedAnomalies: INJECTED } : chaos.section,
  };
  const text = dotnetJson(audit);
  if (!chaos.injected) {
    yield Buffer.from(text, 'utf8');
    return;
  }
  // chaosMode's fields sit at four spaces, the list's items at six: as dotnetJson would write the list.
  const [before, after] = text.split(dotnetJson(INJECTED));
  let piece = `${before}[`;
  let first = true;
  for (const anomaly of chaos.injected) {
    piece += `${first ? '' : ','}\n      ${dotnetJson(anomaly, '      ')}`;
    first = false;
    if (piece.length >= 64 * 1024) {
      yield Buffer.from(piece, 'utf8');
      piece = '';
    }
  }
  yield Buffer.from(`${piece}\n    ]${after}`, 'utf8');
}
