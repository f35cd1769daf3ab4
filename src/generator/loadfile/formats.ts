import type { LoadFileFormat } from '../request.js';
import { IMAGE_TYPES } from '../request.js';
import type { Encoding } from './encoding.js';
import type { LoadFileColumn, RowContext } from './columns.js';
import type { LoadFileDialect } from './dialect.js';
import { edrmHashAttributes } from './hash-columns.js';

/** How one load-file format lays out its header, its rows and its end, in one dialect. */
export interface LoadFileWriter {
  /** The columns this format writes (from the request's columns). */
  columns(all: LoadFileColumn[]): LoadFileColumn[];
  header(columns: LoadFileColumn[], encoding: Encoding): string;
  row(row: RowContext, columns: LoadFileColumn[]): string;
  /** Delimited formats: a row from values already computed (a caller that also checks them computes them once). */
  rowOf?(values: string[]): string;
  /** Records a row adds: OPT's image lines (a page each), every other format's one. */
  records(row: RowContext): number;
  /** Whether rows read the document's type or pages (not only its names), whatever the columns need. */
  needsDocument: boolean;
  footer(): string;
}

const LINE_BREAKS = /\r\n|\r|\n/g;

/**
 * A delimited field: line breaks become the newline delimiter; with a quote, the value is wrapped in
 * it and a quote inside is doubled; without one, a column delimiter inside (which nothing could
 * protect) becomes a space.
 */
function delimitedField(value: string, dialect: LoadFileDialect): string {
  let clean = value.includes('\r') || value.includes('\n') ? value.replace(LINE_BREAKS, dialect.newline) : value;
  if (dialect.quote === null) return clean.includes(dialect.column) ? clean.split(dialect.column).join(' ') : clean;
  if (clean.includes(dialect.quote)) clean = clean.split(dialect.quote).join(dialect.quote + dialect.quote);
  return dialect.quote + clean + dialect.quote;
}

/** DAT with SPEC's column names in the request's dialect; Concordance with its field names, END… companions, þ quotes. */
function delimited(dialect: LoadFileDialect, concordance: boolean): LoadFileWriter {
  const names = concordance ? 'field' : 'name';
  const fieldDialect = concordance ? { ...dialect, quote: CONCORDANCE_QUOTE } : dialect;
  const line = (values: string[]) => values.map((value) => delimitedField(value, fieldDialect)).join(dialect.column) + dialect.eol;
  return {
    columns: (all) => all.filter((column) => concordance || !column.concordanceOnly),
    header: (columns) => line(columns.map((column) => column[names])),
    row: (row, columns) => line(columns.map((column) => column.value(row))),
    rowOf: line,
    records: () => 1,
    needsDocument: false,
    footer: () => '',
  };
}

/** Concordance's text qualifier, whatever DAT's quote is (Zipper: its column delimiter alone follows the request). */
export const CONCORDANCE_QUOTE = '\u00fe';

/** RFC 4180: quoted when needed, quotes doubled; the request's line end. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(dialect: LoadFileDialect): LoadFileWriter {
  return {
    columns: (all) => all.filter((column) => !column.concordanceOnly),
    header: (columns) => columns.map((column) => csvField(column.csvName ?? column.name)).join(',') + dialect.eol,
    row: (row, columns) => columns.map((column) => csvField(column.value(row))).join(',') + dialect.eol,
    records: () => 1,
    needsDocument: false,
    footer: () => '',
  };
}

/**
 * Opticon: no header; one line per image page — key, volume, path, Y on a document's first page,
 * two blanks, the page count on the first page. Keys are Bates numbers when there are any.
 */
const OPT_VOLUME = 'VOL001';
function opt(dialect: LoadFileDialect): LoadFileWriter {
  return {
    columns: () => [],
    header: () => '',
    row: ({ doc, bates }) => {
      if (!IMAGE_TYPES.includes(doc.type)) return '';
      let lines = '';
      for (let page = 0; page < doc.pageCount; page++) {
        const key = bates ? bates.page(page) : page === 0 ? doc.controlNumber : `${doc.controlNumber}_${String(page + 1).padStart(4, '0')}`;
        lines += `${key},${OPT_VOLUME},${doc.path},${page === 0 ? 'Y' : ''},,,${page === 0 ? doc.pageCount : ''}${dialect.eol}`;
      }
      return lines;
    },
    records: ({ doc }) => (IMAGE_TYPES.includes(doc.type) ? doc.pageCount : 0),
    needsDocument: true,
    footer: () => '',
  };
}

function xml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const XML_ENCODING: Record<Encoding, string> = { 'UTF-8': 'UTF-8', 'UTF-16': 'UTF-16', ANSI: 'windows-1252' };
const EDRM_TYPES: Record<LoadFileColumn['kind'], string> = { text: 'Text', date: 'DateTime', integer: 'Integer' };
const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  tiff: 'image/tiff',
  eml: 'message/rfc822',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function splitPath(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  return [path.slice(0, slash), path.slice(slash + 1)];
}

/** EDRM XML 1.2 document list: a Document per row, its metadata as Tags, native and text as Files. */
function edrmXml(dialect: LoadFileDialect): LoadFileWriter {
  const eol = dialect.eol;
  return {
    columns: (all) => all.filter((column) => !column.concordanceOnly && column.field !== 'BEGDOC' && column.field !== 'FILEPATH' && column.field !== 'TEXTPATH'),
    header: (_columns, encoding) =>
      `<?xml version="1.0" encoding="${XML_ENCODING[encoding]}"?>${eol}` +
      `<Root MajorVersion="1" MinorVersion="2" Description="Zipper fixture" Locale="US" DataInterchangeType="Update">${eol}` +
      `<Batch name="Zipper">${eol}<Documents>${eol}`,
    row: (row, columns) => {
      const { doc } = row;
      const tags = columns
        .filter((column) => !column.hashAlgorithm)
        .map((column) => `<Tag TagName="${xml(column.name)}" TagDataType="${EDRM_TYPES[column.kind]}" TagValue="${xml(column.value(row))}"/>`)
        .join('');
      const [folder, file] = splitPath(doc.path);
      let files = `<File FileType="Native"><ExternalFile FilePath="${xml(folder)}" FileName="${xml(file)}"${edrmHashAttributes(row, columns)}/></File>`;
      if (doc.textPath) {
        const [textFolder, textFile] = splitPath(doc.textPath);
        files += `<File FileType="Text"><ExternalFile FilePath="${xml(textFolder)}" FileName="${xml(textFile)}"/></File>`;
      }
      return `<Document DocID="${xml(doc.controlNumber)}" DocType="${doc.type === 'eml' ? 'Message' : 'File'}" MimeType="${MIME[doc.type] ?? 'application/octet-stream'}"><Tags>${tags}</Tags><Files>${files}</Files></Document>${eol}`;
    },
    records: () => 1,
    needsDocument: true,
    footer: () => `</Documents>${eol}</Batch>${eol}</Root>${eol}`,
  };
}

/** Each format's writer, made for a dialect (delimiters and line end). */
export const LOAD_FILE_WRITERS: Record<LoadFileFormat, (dialect: LoadFileDialect) => LoadFileWriter> = {
  dat: (dialect) => delimited(dialect, false),
  concordance: (dialect) => delimited(dialect, true),
  csv,
  opt,
  'edrm-xml': edrmXml,
};
