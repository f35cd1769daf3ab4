/**
 * A production archive as sections, set after set: the set's documents in batches (workers render
 * each position's native or placeholder, page TIFFs, text and redacted copies; see batch.ts), then
 * its DAT and OPT made as the archive reads them, `_manifest.json`, and `_validation_report.json`.
 *
 * The report compares three tallies that come from different places: the rows the plan gives the
 * set (counted by the batches), the files the DAT and OPT reference (counted as their lines are
 * written), and the files handed to the archive (counted as each batch is added). A set whose
 * report fails ends the archive with an error after its report entry.
 */
import type { ArchiveSection, BatchSection } from '../archive.js';
import type { ArchiveEntry, BufferedEntry, StreamedEntry } from '../entries.js';
import type { GeneratorPool } from '../parallel/pool.js';
import { productionColumns } from './columns.js';
import type { ProductionBatch } from './batch.js';
import { recordFiles } from './files.js';
import { setLoadFile, setLoadFileInParallel, setLoadFileMayNeedZip64 } from './loadfiles.js';
import { addCounts, addFiles, buildManifest, countEntry, countFindings, countRow, emptyCounts, sidecarJson, type ProductionCounts } from './manifest.js';
import { MANIFEST_NAME, REPORT_NAME, type ProductionPlan, type ProductionSet } from './plan.js';
import { checkSupplemental, type SupplementalValidation } from './supplemental.js';
import { SetValidator } from './validate.js';

/** Positions per full batch: each writes a native, a TIFF per page and a text (≈ 3–4 KB). */
const BATCH_POSITIONS = 256;

export { productionText } from './files.js';

/** A set's report failed: the archive must not end as if it were complete. */
export class ProductionValidationError extends Error {}

/** The three tallies of a set (see the module's comment). */
interface SetTally {
  planned: ProductionCounts;
  referenced: ProductionCounts;
  written: ProductionCounts;
}

/** Every section of a production archive, in order; `pool`: the workers that make the load files' rows (else this thread). */
export function* productionSections(plan: ProductionPlan, pool?: GeneratorPool): Generator<ArchiveSection> {
  const supplemental = checkSupplemental(plan).validation;
  for (const set of plan.sets) {
    const tally: SetTally = { planned: emptyCounts(), referenced: emptyCounts(), written: emptyCounts() };
    yield setDocuments(plan, set, tally);
    yield { kind: 'entries', entries: setLoadFilesAndSidecars(plan, set, tally, supplemental, pool) };
  }
}

/** Every entry of a production archive, in order, made on the calling thread (stock engine, tests). */
export function* productionArchiveEntries(plan: ProductionPlan): Generator<ArchiveEntry> {
  for (const section of productionSections(plan)) yield* section.kind === 'entries' ? section.entries : section.entries!();
}

function setDocuments(plan: ProductionPlan, set: ProductionSet, tally: SetTally): BatchSection {
  return {
    kind: 'batches',
    count: plan.count,
    fullLength: BATCH_POSITIONS,
    firstBatchHere: true,
    offset: set.offset,
    prepare: (pool: GeneratorPool, from, to) => pool.prepareProduction({ request: plan.request, set: set.sequence, from, to }),
    added: (batch) => {
      // The batch's counts are the plan's for its positions; its files are now handed to the archive.
      const { counts } = batch as ProductionBatch;
      addCounts(tally.planned, counts);
      addFiles(tally.written, counts);
    },
    entries: () => setDocumentEntries(plan, set, tally),
  };
}

function* setDocumentEntries(plan: ProductionPlan, set: ProductionSet, tally: SetTally): Generator<ArchiveEntry> {
  for (let position = 1; position <= plan.count; position++) {
    // The position's first file is its 'document' (progress counts one per parent document); the rest ride as 'text'.
    let first = true;
    for (const record of plan.records(set, position)) {
      countRow(tally.planned, record, record.imageFiles.length);
      for (const file of recordFiles(plan, set, record)) {
        const entry: BufferedEntry = { kind: first ? 'document' : 'text', name: file.name, segments: file.segments, compression: file.compression, index: set.offset + position };
        first = false;
        countEntry(tally.planned, record, file.entry.kind);
        yield entry;
        countEntry(tally.written, record, file.entry.kind);
      }
    }
  }
}

function* setLoadFilesAndSidecars(plan: ProductionPlan, set: ProductionSet, tally: SetTally, supplemental: SupplementalValidation | null, pool?: GeneratorPool): Generator<ArchiveEntry> {
  const validator = new SetValidator(
    productionColumns(plan).map((column) => column.name),
    plan.loadFiles,
  );
  const { planned, referenced, written } = tally;
  for (const file of ['dat', 'opt'] as const) {
    const chunks = pool && pool.size > 0 ? setLoadFileInParallel(plan, set, file, pool, written, validator, referenced) : setLoadFile(plan, set, file, written, validator, referenced);
    yield streamed(plan.entryName(set, plan.loadFiles[file]), chunks, setLoadFileMayNeedZip64(plan, file));
  }
  yield streamed(
    plan.entryName(set, MANIFEST_NAME),
    (function* () {
      yield Buffer.from(sidecarJson(buildManifest(plan, set, written, supplemental)), 'utf8');
    })(),
  );
  // Read when the archive reaches it, after the DAT and OPT: the tallies are complete by then.
  yield streamed(
    plan.entryName(set, REPORT_NAME),
    (function* () {
      const expected: ProductionCounts = { ...planned, files: referenced.files };
      const report = validator.report(written, countFindings(expected, written, plan.loadFiles));
      yield Buffer.from(sidecarJson(report), 'utf8');
      // The entry and the archive are never completed: the reader gets a broken transfer (what the archive
      // still buffered of this set, its load files and report included, may never reach it).
      if (report.status === 'failed') {
        throw new ProductionValidationError(`production ${set.id} failed its validation: ${report.errorCount} errors (${report.findings[0]?.message ?? ''})`);
      }
    })(),
  );
}

function streamed(name: string, chunks: Iterable<Buffer> | AsyncIterable<Buffer>, zip64 = false): StreamedEntry {
  return { kind: 'loadfile', name, chunks, zip64 };
}
