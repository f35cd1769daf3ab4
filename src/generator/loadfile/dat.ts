import type { ArchivePlan } from '../plan.js';
import type { DocumentNames, PlannedDocument } from '../types.js';
import { byteOrderMark, encodeText } from './encoding.js';

/** Concordance DAT delimiters (SPEC "Load files"). */
export const DAT = {
  delimiter: '\u0014',
  qualifier: '\u00fe',
  newline: '\u00ae',
  lineEnd: '\r\n',
} as const;

/** Row text is encoded in batches of about this many characters: few, large writes. */
const BATCH_CHARS = 64 * 1024;

export interface DatColumn {
  name: string;
  /** Columns that need only names skip drawing the document's metadata (most of a row's cost). */
  needs: 'names' | 'document';
  value: (doc: PlannedDocument, size: DocumentSizer) => string;
}

function namesColumn(name: string, value: (doc: DocumentNames) => string): DatColumn {
  return { name, needs: 'names', value };
}

function documentColumn(name: string, value: (doc: PlannedDocument, size: DocumentSizer) => string): DatColumn {
  return { name, needs: 'document', value };
}

/** Real byte size of a document as it is written into the archive. */
export type DocumentSizer = (doc: PlannedDocument) => number;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** MM/DD/YYYY, Concordance's default date format (UTC). */
export function datDate(date: Date): string {
  return `${pad2(date.getUTCMonth() + 1)}/${pad2(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

/** MM/DD/YYYY HH:MM:SS (UTC). */
export function datDateTime(date: Date): string {
  return `${datDate(date)} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
}

function mailbox(person: { name: string; address: string }): string {
  return `${person.name} <${person.address}>`;
}

/** Attachment file name an email carries (the EML renderer and the load file share it). */
export function attachmentFileName(doc: PlannedDocument): string {
  return `${doc.controlNumber}_attachment.pdf`;
}

/** Columns in SPEC order for this request. */
export function datColumns(plan: ArchivePlan): DatColumn[] {
  const { request } = plan;
  const columns: DatColumn[] = [namesColumn('Control Number', (doc) => doc.controlNumber), namesColumn('File Path', (doc) => doc.path)];
  if (request.withMetadata) {
    columns.push(
      documentColumn('Custodian', (doc) => doc.custodian),
      documentColumn('Date Sent', (doc) => datDate(doc.dateSent)),
      documentColumn('Author', (doc) => doc.author),
      documentColumn('File Size', (doc, size) => String(size(doc))),
    );
  }
  if (request.fileType === 'eml') {
    columns.push(
      documentColumn('To', (doc) => doc.to.map(mailbox).join('; ')),
      documentColumn('From', (doc) => mailbox(doc.from)),
      documentColumn('Subject', (doc) => doc.subject),
      documentColumn('Sent Date', (doc) => datDateTime(doc.dateSent)),
      documentColumn('Attachment', (doc) => (doc.hasAttachment ? attachmentFileName(doc) : '')),
    );
  }
  if (request.withText) columns.push(namesColumn('Extracted Text', (doc) => doc.textPath ?? ''));
  return columns;
}

/** Keeps a value inside its qualifiers: line breaks become ®, stray delimiters a space. */
function field(value: string): string {
  const clean = /[\r\n\u0014\u00fe]/.test(value)
    ? value.replace(/\r\n|\r|\n/g, DAT.newline).replace(/[\u0014\u00fe]/g, ' ')
    : value;
  return DAT.qualifier + clean + DAT.qualifier;
}

function line(values: string[]): string {
  return values.map(field).join(DAT.delimiter) + DAT.lineEnd;
}

/**
 * The DAT load file as encoded chunks: byte-order mark, header row, one row per document.
 * Rows are produced as they are consumed, never the whole file in memory. `rows` stops early (sampling).
 */
export function* datChunks(plan: ArchivePlan, size: DocumentSizer, rows = plan.count): Generator<Buffer> {
  const { encoding } = plan.request;
  const columns = datColumns(plan);
  const bom = byteOrderMark(encoding);
  if (bom.length > 0) yield bom;
  const needsDocument = columns.some((column) => column.needs === 'document');
  let batch = line(columns.map((column) => column.name));
  for (let index = 1; index <= rows; index++) {
    // Names-only columns never read the fields a DocumentNames lacks (see `needs`).
    const doc = (needsDocument ? plan.document(index) : plan.names(index)) as PlannedDocument;
    batch += line(columns.map((column) => column.value(doc, size)));
    if (batch.length >= BATCH_CHARS) {
      yield encodeText(batch, encoding);
      batch = '';
    }
  }
  if (batch.length > 0) yield encodeText(batch, encoding);
}
