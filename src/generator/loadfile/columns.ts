import type { ArchivePlan } from '../plan.js';
import { BatesRange, BatesSequence } from '../bates.js';
import type { DocumentNames, PlannedDocument } from '../types.js';
import { attachmentName, mailboxText } from '../documents/text.js';
import { requestedTypes, type HashAlgorithm } from '../request.js';
import { Stream } from '../random.js';
import { COLLECTION_COLUMNS, COLLECTION_DATE_FORMAT } from './collection.js';
import { compileDateFormat, formatDate } from './date-format.js';
import { profileColumns } from './profiles/profile-columns.js';
import { columnSalt, rowHasher, RowCells } from './profiles/values.js';
import { withHashColumns } from './hash-columns.js';
import type { ProductionRecord } from '../production/plan.js';

/** Real byte size of a document as it is written into the archive. */
export type DocumentSizer = (doc: PlannedDocument) => number;

/** One load-file row's document, with what only a sequential pass knows (Bates runs over pages). */
export interface RowContext {
  doc: PlannedDocument;
  size: DocumentSizer;
  /** The Bates numbers of the document's pages, or null without bates. */
  bates: BatesRange | null;
  /** In a production: the row's set, volume, Bates-named paths (production/columns.ts reads it). */
  production?: ProductionRecord | undefined;
}

export type ColumnKind = 'text' | 'date' | 'integer';

export interface LoadFileColumn {
  /** SPEC's column name (DAT, CSV, EDRM tag). */
  name: string;
  /** Concordance field name. */
  field: string;
  kind: ColumnKind;
  /** Columns that need only names skip drawing the document's metadata (most of a row's cost). */
  needs: 'names' | 'document';
  /** Only in the Concordance load file (its END… companions). */
  concordanceOnly?: boolean;
  /** CSV header name, when it is not `name` (collection metadata: the Concordance field name). */
  csvName?: string;
  /** The hash this column carries (MD5HASH, SHA1_HASH, "SHA256 HASH" …): see hash-columns.ts. */
  hashAlgorithm?: HashAlgorithm;
  value: (row: RowContext) => string;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** MM/DD/YYYY, Concordance's default date format (UTC). */
export function loadFileDate(date: Date): string {
  return `${pad2(date.getUTCMonth() + 1)}/${pad2(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

/** MM/DD/YYYY HH:MM:SS (UTC). */
export function loadFileDateTime(date: Date): string {
  return `${loadFileDate(date)} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
}


function names(name: string, field: string, value: (doc: DocumentNames) => string, extra: Partial<LoadFileColumn> = {}): LoadFileColumn {
  return { name, field, kind: 'text', needs: 'names', value: (row) => value(row.doc), ...extra };
}

function metadata(name: string, field: string, kind: ColumnKind, value: (row: RowContext) => string): LoadFileColumn {
  return { name, field, kind, needs: 'document', value };
}

/** Collection metadata columns without a profile (withCollectionMetadata). */
function collectionColumns(plan: ArchivePlan): LoadFileColumn[] {
  const cells = new RowCells(rowHasher(plan.request.seed, Stream.cells));
  const dateFormat = plan.request.dateFormat ?? COLLECTION_DATE_FORMAT;
  return COLLECTION_COLUMNS.map((column) => {
    const generate = column.generator(dateFormat);
    const salt = columnSalt(column.field.replace(/_/g, ''));
    return { name: column.name, field: column.field, csvName: column.field, kind: column.kind, needs: 'names', value: (row) => generate(cells.cell(row, salt), row) };
  });
}

/**
 * The request's columns: its column profile's when it has one, else SPEC's fixed set in SPEC
 * order (a File Type column joins when types are mixed).
 */
export function loadFileColumns(plan: ArchivePlan): LoadFileColumn[] {
  const { request } = plan;
  if (request.columnProfile) return profileColumns(plan);
  const types = requestedTypes(request);
  const given = request.dateFormat === undefined ? null : compileDateFormat(request.dateFormat);
  const date = given ? (value: Date) => formatDate(given, value) : loadFileDate;
  const dateTime = given ? (value: Date) => formatDate(given, value) : loadFileDateTime;
  const columns: LoadFileColumn[] = [
    names('Control Number', 'BEGDOC', (doc) => doc.controlNumber),
    names('Control Number', 'ENDDOC', (doc) => doc.controlNumber, { concordanceOnly: true }),
    names('File Path', 'FILEPATH', (doc) => doc.path),
  ];
  if (request.fileTypes) columns.push(metadata('File Type', 'FILETYPE', 'text', ({ doc }) => doc.type));
  if (request.withMetadata) {
    columns.push(
      metadata('Custodian', 'CUSTODIAN', 'text', ({ doc }) => doc.custodian),
      metadata('Date Sent', 'DATESENT', 'date', ({ doc }) => date(doc.dateSent)),
      metadata('Author', 'AUTHOR', 'text', ({ doc }) => doc.author),
      metadata('File Size', 'FILESIZE', 'integer', ({ doc, size }) => String(size(doc))),
    );
  }
  if (types.includes('eml')) {
    const email = (value: (doc: PlannedDocument) => string) => (row: RowContext) => (row.doc.type === 'eml' ? value(row.doc) : '');
    // Recipients joined by `delimiters.multiValue` when given, else by "; " (the fixed set's own).
    const recipients = request.delimiters?.multiValue ?? '; ';
    columns.push(
      metadata('To', 'TO', 'text', email((doc) => doc.to.map(mailboxText).join(recipients))),
      metadata('From', 'FROM', 'text', email((doc) => mailboxText(doc.from))),
      metadata('Subject', 'SUBJECT', 'text', email((doc) => doc.subject)),
      metadata('Sent Date', 'SENTDATE', 'date', email((doc) => dateTime(doc.dateSent))),
      metadata('Attachment', 'ATTACHMENT', 'text', email((doc) => (doc.hasAttachment ? attachmentName(doc) : ''))),
    );
  }
  if (request.withCollectionMetadata) columns.push(...collectionColumns(plan));
  if (request.bates) {
    columns.push(
      { ...metadata('Bates Number', 'BEGBATES', 'text', ({ bates }) => bates?.first ?? '') },
      { ...metadata('Bates Number', 'ENDBATES', 'text', ({ bates }) => bates?.last ?? ''), concordanceOnly: true },
    );
  }
  if (request.withFamilies) {
    columns.push(
      metadata('BEGATTACH', 'BEGATTACH', 'text', ({ doc }) => doc.family?.begin ?? ''),
      metadata('ENDATTACH', 'ENDATTACH', 'text', ({ doc }) => doc.family?.end ?? ''),
      metadata('PARENT_DOCID', 'PARENT_DOCID', 'text', ({ doc }) => doc.parentControlNumber ?? ''),
    );
  }
  if (request.tiffPages) columns.push(metadata('Page Count', 'PAGECOUNT', 'integer', ({ doc }) => String(doc.pageCount)));
  if (request.withText) columns.push(names('Extracted Text', 'TEXTPATH', (doc) => doc.textPath ?? ''));
  return withHashColumns(plan, columns);
}

/**
 * Row contexts of documents from … to − 1 in archive order. Bates numbers run over pages, so they
 * are counted here, in one pass from document 1; metadata is drawn only when some column needs it.
 */
export function* rowContexts(
  plan: ArchivePlan,
  columns: LoadFileColumn[],
  size: DocumentSizer,
  from: number,
  to: number,
  writerNeedsDocument = false,
): Generator<RowContext> {
  const bates = plan.request.bates;
  if (bates && from !== 1) throw new Error('rowContexts: Bates numbers are counted from document 1');
  const needsDocument = writerNeedsDocument || bates !== undefined || plan.request.withFamilies || columns.some((column) => column.needs === 'document');
  const sequence = bates ? new BatesSequence(bates) : null;
  let pagesBefore = 0;
  for (let index = from; index < to; index++) {
    // Names-only columns never read the fields a DocumentNames lacks (see `needs`).
    const family = needsDocument ? plan.family(index) : [plan.names(index) as PlannedDocument];
    for (const doc of family) {
      let range: RowContext['bates'] = null;
      if (sequence) {
        range = new BatesRange(sequence, pagesBefore, doc.pageCount, doc.source?.batesNumber ?? null);
        pagesBefore += doc.pageCount;
      }
      yield { doc, size, bates: range };
    }
  }
}
