import type { LoadFileFormat } from '../request.js';
import { IMAGE_TYPES } from '../request.js';
import type { Encoding } from './encoding.js';
import type { LoadFileColumn, RowContext } from './columns.js';
import { edrmHashAttributes } from './hash-columns.js';

/** How one load-file format lays out its header, its rows and its end. */
export interface LoadFileWriter {
  /** The columns this format writes (from the request's columns). */
  columns(all: LoadFileColumn[]): LoadFileColumn[];
  header(columns: LoadFileColumn[], encoding: Encoding): string;
  row(row: RowContext, columns: LoadFileColumn[]): string;
  footer(): string;
}

const CRLF = '\r\n';

/** Concordance DAT delimiters (SPEC "Load files"). */
export const DAT = { delimiter: '\u0014', qualifier: '\u00fe', newline: '\u00ae' } as const;

/** Keeps a value inside its þ qualifiers: line breaks become ®, stray delimiters a space. */
function datField(value: string): string {
  const clean = /[\r\n\u0014\u00fe]/.test(value) ? value.replace(/\r\n|\r|\n/g, DAT.newline).replace(/[\u0014\u00fe]/g, ' ') : value;
  return DAT.qualifier + clean + DAT.qualifier;
}

function datLine(values: string[]): string {
  return values.map(datField).join(DAT.delimiter) + CRLF;
}

/** DAT with SPEC's column names; Concordance with its field names and END… companions. */
function delimited(names: 'name' | 'field', concordance: boolean): LoadFileWriter {
  return {
    columns: (all) => all.filter((column) => concordance || !column.concordanceOnly),
    header: (columns) => datLine(columns.map((column) => column[names])),
    row: (row, columns) => datLine(columns.map((column) => column.value(row))),
    footer: () => '',
  };
}

/** RFC 4180: quoted when needed, quotes doubled, CRLF. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const csv: LoadFileWriter = {
  columns: (all) => all.filter((column) => !column.concordanceOnly),
  header: (columns) => columns.map((column) => csvField(column.name)).join(',') + CRLF,
  row: (row, columns) => columns.map((column) => csvField(column.value(row))).join(',') + CRLF,
  footer: () => '',
};

/**
 * Opticon: no header; one line per image page — key, volume, path, Y on a document's first page,
 * two blanks, the page count on the first page. Keys are Bates numbers when there are any.
 */
const OPT_VOLUME = 'VOL001';
const opt: LoadFileWriter = {
  columns: () => [],
  header: () => '',
  row: ({ doc, bates }) => {
    if (!IMAGE_TYPES.includes(doc.type)) return '';
    let lines = '';
    for (let page = 0; page < doc.pageCount; page++) {
      const key = bates ? bates.page(page) : page === 0 ? doc.controlNumber : `${doc.controlNumber}_${String(page + 1).padStart(4, '0')}`;
      lines += `${key},${OPT_VOLUME},${doc.path},${page === 0 ? 'Y' : ''},,,${page === 0 ? doc.pageCount : ''}${CRLF}`;
    }
    return lines;
  },
  footer: () => '',
};

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
const edrmXml: LoadFileWriter = {
  columns: (all) => all.filter((column) => !column.concordanceOnly && column.field !== 'BEGDOC' && column.field !== 'FILEPATH' && column.field !== 'TEXTPATH'),
  header: (_columns, encoding) =>
    `<?xml version="1.0" encoding="${XML_ENCODING[encoding]}"?>${CRLF}` +
    `<Root MajorVersion="1" MinorVersion="2" Description="Zipper fixture" Locale="US" DataInterchangeType="Update">${CRLF}` +
    `<Batch name="Zipper">${CRLF}<Documents>${CRLF}`,
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
    return `<Document DocID="${xml(doc.controlNumber)}" DocType="${doc.type === 'eml' ? 'Message' : 'File'}" MimeType="${MIME[doc.type] ?? 'application/octet-stream'}"><Tags>${tags}</Tags><Files>${files}</Files></Document>${CRLF}`;
  },
  footer: () => `</Documents>${CRLF}</Batch>${CRLF}</Root>${CRLF}`,
};

export const LOAD_FILE_WRITERS: Record<LoadFileFormat, LoadFileWriter> = {
  dat: delimited('name', false),
  concordance: delimited('field', true),
  csv,
  opt,
  'edrm-xml': edrmXml,
};
