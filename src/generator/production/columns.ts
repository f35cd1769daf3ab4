/**
 * The production DAT's columns and the production OPT's lines, as data. Columns are ordinary
 * LoadFileColumns (so the existing DAT writer and dialect write them) whose values read the row's
 * ProductionRecord; which groups join is decided by the table's `when`, nothing else names them.
 */
import { attachmentName, mailboxText } from '../documents/text.js';
import type { LoadFileColumn, RowContext } from '../loadfile/columns.js';
import { requestedTypes } from '../request.js';
import type { PlannedDocument } from '../types.js';
import { DIRECTORIES, loadFilePath, type ImagedRow, type ProductionPlan, type ProductionRecord } from './plan.js';

type Value = (record: ProductionRecord, row: RowContext) => string;

interface ColumnGroup {
  /** Why the group is in the DAT. */
  when: (plan: ProductionPlan) => boolean;
  columns: [name: string, value: Value][];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** yyyy-MM-dd HH:mm:ss (UTC), the production DAT's email date. */
function sentText(date: Date): string {
  const day = date.toISOString().slice(0, 10);
  return `${day} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
}

/** Email values on an email's own row; blank on other documents and on attachments. */
const email =
  (value: (doc: PlannedDocument) => string): Value =>
  (record) =>
    record.parentBates === null && record.doc.type === 'eml' ? value(record.doc) : '';

const first = (paths: string[]) => (paths.length > 0 ? loadFilePath(paths[0]!) : '');

/** Zipper's production DAT columns (notes §2.3), in order; groups join as their `when` says. */
export function productionColumnGroups(plan: ProductionPlan): ColumnGroup[] {
  const recipients = plan.request.delimiters?.multiValue ?? '; ';
  return [
    {
      when: () => true,
      columns: [
        ['DOCID', (r) => r.bates],
        ['BATES_NUMBER', (r) => r.bates],
        ['VOLUME', (r) => r.volume],
        ['NATIVE_PATH', (r) => loadFilePath(r.nativeReference)],
        ['TEXT_PATH', (r) => loadFilePath(r.textFile)],
        // The first page's image: a file that exists for one-page and multipage documents alike.
        ['IMAGE_PATH', (r) => first(r.imageFiles)],
        ['CUSTODIAN', (r) => r.custodian],
        ['DATE_CREATED', (r) => r.dateCreated],
        ['FILE_SIZE', (r, row) => String(row.size(r.doc))],
        ['FILE_TYPE', (r) => r.extension.toUpperCase()],
      ],
    },
    {
      when: (p) => p.redacted,
      columns: [
        ['REDACTED_IMAGE_PATH', (r) => (r.redactedImageFile ? loadFilePath(r.redactedImageFile) : '')],
        ['REDACTED_TEXT_PATH', (r) => (r.redactedTextFile ? loadFilePath(r.redactedTextFile) : '')],
        ['NATIVE_WITHHELD', (r) => (r.nativeWithheld ? 'YES' : 'NO')],
        ['REDACTION_REASON', (r) => r.redactionReason ?? ''],
      ],
    },
    {
      when: (p) => requestedTypes(p.request).includes('eml'),
      columns: [
        ['Attachment', email((doc) => (doc.hasAttachment ? attachmentName(doc) : ''))],
        ['EmailSubject', email((doc) => doc.subject)],
        ['EmailFrom', email((doc) => mailboxText(doc.from))],
        ['EmailTo', email((doc) => doc.to.map(mailboxText).join(recipients))],
        // Our emails carry no Cc: the column is there for importers, always blank.
        ['EmailCC', () => ''],
        ['EmailSentDate', email((doc) => sentText(doc.dateSent))],
      ],
    },
    {
      when: (p) => p.request.withFamilies,
      columns: [
        ['BEGATTACH', (r) => (r.familyEnd ? (r.parentBates ?? r.bates) : '')],
        ['ENDATTACH', (r) => r.familyEnd ?? ''],
        ['PARENTDOCID', (r) => r.parentBates ?? ''],
      ],
    },
  ];
}

/** The production DAT's columns for this plan, as LoadFileColumns over rows that carry a ProductionRecord. */
export function productionColumns(plan: ProductionPlan): LoadFileColumn[] {
  return productionColumnGroups(plan)
    .filter((group) => group.when(plan))
    .flatMap((group) =>
      group.columns.map(([name, value]): LoadFileColumn => ({
        name,
        field: name,
        kind: name === 'FILE_SIZE' ? 'integer' : 'text',
        needs: 'document',
        value: (row) => {
          if (!row.production) throw new Error(`production column ${name}: the row carries no ProductionRecord`);
          return value(row.production, row);
        },
      })),
    );
}

/**
 * The production OPT's lines for a record (no line end): one per page, `BATES,VOLnnn,IMAGES\…,Y,,,pages`.
 * A multipage document's keys and files are `<BATES>_001` …, the break `Y` and the page count on
 * its first line only (Zipper's multipage form); a one-page document is one line keyed `<BATES>`.
 */
export function productionOptLines(record: ProductionRecord): string[][] {
  return optLines({ id: record.bates, volume: record.volume, pages: record.imageFiles.length });
}

/** The OPT lines, as fields, of one DAT row's images (see productionOptLines; ImagedRow: ProductionPlan.imagedRows). */
export function optLines({ id, volume, pages }: ImagedRow): string[][] {
  const lines: string[][] = [];
  for (let p = 1; p <= pages; p++) {
    const key = pages === 1 ? id : `${id}_${String(p).padStart(3, '0')}`;
    const image = `${DIRECTORIES.images}\\${volume}\\${key}.tif`;
    lines.push(p === 1 ? [key, volume, image, 'Y', '', '', String(pages)] : [key, volume, image, '', '', '', '']);
  }
  return lines;
}
