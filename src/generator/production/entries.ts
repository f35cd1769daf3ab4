/**
 * A production's archive entries in streaming order (sequential first path, issue 12): per set, for
 * each position and each record of it, the record's files (native or placeholder, one TIFF per page,
 * text, redacted copies); then the set's DAT and OPT, produced row by row as the archive reads them,
 * `_manifest.json` and `_validation_report.json`, both from counters of what was handed to the
 * archive. A set whose report fails ends the archive with an error after its report entry.
 *
 * Served by POST/GET /archives (routes/archives.ts passes these entries to createArchiveStream).
 * Not yet: the worker pool (documents are rendered on the calling thread), hashes, other load-file
 * formats, the "native withheld" placeholder renderer (a placeholder is the type's own native today).
 */
import { renderTiff } from '../documents/tiff.js';
import { compressionOf, documentSegments, fillPadding, type ArchiveEntry, type BufferedEntry, type StreamedEntry } from '../entries.js';
import { productionColumns } from './columns.js';
import { datChunks, optChunks } from './loadfiles.js';
import { buildManifest, countEntry, countFindings, countRow, emptyCounts, sidecarJson } from './manifest.js';
import { MANIFEST_NAME, REPORT_NAME, type ProductionEntry, type ProductionPlan, type ProductionRecord, type ProductionSet } from './plan.js';
import { checkSupplemental } from './supplemental.js';
import { SetValidator } from './validate.js';

/** A set's report failed: the archive must not end as if it were complete. */
export class ProductionValidationError extends Error {}

/** `Extracted text for document <BATES>.` and a line of what it is. */
export function productionText(record: ProductionRecord, redacted = false): string {
  const what = redacted ? 'Redacted text' : 'Extracted text';
  return `${what} for document ${record.bates}.\r\n\r\n${record.doc.type.toUpperCase()} document ${record.doc.controlNumber}, volume ${record.volume}, custodian ${record.custodian}.\r\n`;
}

/** One record file's bytes. */
function entrySegments(plan: ProductionPlan, record: ProductionRecord, entry: ProductionEntry): Buffer[] {
  switch (entry.kind) {
    case 'native':
    case 'placeholder':
      return documentSegments(plan.archive, record.doc);
    case 'image': {
      const key = record.imageFiles.length === 1 ? record.bates : `${record.bates}_${String(entry.page).padStart(3, '0')}`;
      return fillPadding(renderTiff({ ...record.doc, controlNumber: key, paddingBytes: 0 }, { pages: 1 }), plan.request.seed, record.doc.index);
    }
    case 'redacted-image':
      // Every page in one file: the one REDACTED_IMAGE_PATH names.
      return fillPadding(renderTiff({ ...record.doc, controlNumber: record.bates, paddingBytes: 0 }, { pages: record.doc.pageCount }), plan.request.seed, record.doc.index);
    case 'text':
      return [Buffer.from(productionText(record), 'utf8')];
    case 'redacted-text':
      return [Buffer.from(productionText(record, true), 'utf8')];
  }
}

/** Every entry of a production archive, in order. */
export function* productionArchiveEntries(plan: ProductionPlan): Generator<ArchiveEntry> {
  const supplemental = checkSupplemental(plan).validation;
  for (const set of plan.sets) yield* setEntries(plan, set, supplemental);
}

function* setEntries(plan: ProductionPlan, set: ProductionSet, supplemental: ReturnType<typeof checkSupplemental>['validation']): Generator<ArchiveEntry> {
  const expected = emptyCounts();
  const written = emptyCounts();
  for (let position = 1; position <= plan.count; position++) {
    // The position's first file is its 'document' (progress counts one per parent document); the rest ride as 'text'.
    let first = true;
    for (const record of plan.records(set, position)) {
      const entries = plan.entries(record);
      countRow(expected, record, record.imageFiles.length);
      for (const entry of entries) {
        countEntry(expected, record, entry.kind);
        const segments = entrySegments(plan, record, entry);
        const textual = entry.kind === 'text' || entry.kind === 'redacted-text';
        const image = entry.kind === 'image' || entry.kind === 'redacted-image';
        const file: BufferedEntry = {
          kind: first ? 'document' : 'text',
          name: plan.entryName(set, entry.path),
          segments,
          compression: compressionOf(plan.archive, image ? { ...record.doc, type: 'tiff' } : record.doc, textual ? 'text' : 'document', segments),
          index: set.offset + position,
        };
        first = false;
        yield file;
        countEntry(written, record, entry.kind);
      }
    }
  }
  const columns = productionColumns(plan);
  const validator = new SetValidator(
    columns.map((column) => column.name),
    plan.loadFiles,
  );
  yield streamed(plan.entryName(set, plan.loadFiles.dat), datChunks(plan, set, written, validator));
  yield streamed(plan.entryName(set, plan.loadFiles.opt), optChunks(plan, set, written, validator));
  yield streamed(
    plan.entryName(set, MANIFEST_NAME),
    (function* () {
      yield Buffer.from(sidecarJson(buildManifest(plan, set, written, supplemental)), 'utf8');
    })(),
  );
  // Read when the archive reaches it, after the DAT and OPT: the counts are complete by then.
  yield streamed(
    plan.entryName(set, REPORT_NAME),
    (function* () {
      const report = validator.report(written, countFindings(expected, written, plan.loadFiles));
      yield Buffer.from(sidecarJson(report), 'utf8');
      // The report's bytes are out; the entry and the archive are not completed: the reader sees a broken transfer.
      if (report.status === 'failed') {
        throw new ProductionValidationError(`production ${set.id} failed its validation: ${report.errorCount} errors (${report.findings[0]?.message ?? ''})`);
      }
    })(),
  );
}

function streamed(name: string, chunks: Iterable<Buffer>): StreamedEntry {
  return { kind: 'loadfile', name, chunks, zip64: false };
}

