/**
 * `_manifest.json` and `_validation_report.json` of a production set, in Zipper's schemas (notes
 * §2.5, §2.6), built from the plan and from counters of what was actually written, so the archive
 * streamer feeds real counts (countRow / countEntry as it writes) and a set that lost a file says so.
 *
 * Deterministic for a seeded request (every request the service runs is resolved to a seed, and an
 * archive must be a pure function of it, for resumed transfers as much as for tests):
 * - `productionDate` is 2025-01-01T00:00:00Z, the "now" of Zipper's seeded runs (DATE_CREATED
 *   counts back from it too);
 * - `generationTime` is "0.0s": the manifest is planned, not timed (a wall-clock figure would make
 *   two downloads of one seed differ); real durations belong in logs and metrics.
 * Ours beyond Zipper: counts of files a record does not write (withheld natives) are not counted as
 * natives; `redactionReasons` counts rows (an attachment only when it is a row of its own).
 */
import { resolveDialect } from '../loadfile/dialect.js';
import { requestedTypes } from '../request.js';
import type { SupplementalValidation } from './supplemental.js';
import {
  DIRECTORIES,
  ORIGINALS_DIRECTORY,
  REDACTION_REASONS,
  REPORT_NAME,
  SEEDED_NOW,
  type EntryKind,
  type ProductionPlan,
  type ProductionRecord,
  type ProductionSet,
  type RedactionReason,
} from './plan.js';

/** What one set has written so far; the streamer increments it, tests and small sets plan it (plannedCounts). */
export interface ProductionCounts {
  /** Files by kind. */
  files: Record<EntryKind, number>;
  parentNatives: number;
  attachmentNatives: number;
  /** DAT data rows (header not included), parents and attachments. */
  rows: number;
  /** OPT lines (one per page). */
  optLines: number;
  withheldNatives: number;
  redactionReasons: Record<RedactionReason, number>;
}

export function emptyCounts(): ProductionCounts {
  return {
    files: { native: 0, placeholder: 0, image: 0, text: 0, 'redacted-image': 0, 'redacted-text': 0 },
    parentNatives: 0,
    attachmentNatives: 0,
    rows: 0,
    optLines: 0,
    withheldNatives: 0,
    redactionReasons: Object.fromEntries(REDACTION_REASONS.map((reason) => [reason, 0])) as Record<RedactionReason, number>,
  };
}

/** A DAT row written for `record`, and its OPT lines. */
export function countRow(counts: ProductionCounts, record: ProductionRecord, optLines: number): void {
  counts.rows++;
  counts.optLines += optLines;
  if (record.nativeWithheld) counts.withheldNatives++;
  if (record.redactionReason) counts.redactionReasons[record.redactionReason]++;
}

/** A file written for `record`. */
export function countEntry(counts: ProductionCounts, record: ProductionRecord, kind: EntryKind): void {
  counts.files[kind]++;
  if (kind === 'native') {
    if (record.parentBates === null) counts.parentNatives++;
    else counts.attachmentNatives++;
  }
}

/** The files a DAT row references (its path columns; images come from the OPT's lines, one per page). */
export function countReferences(counts: ProductionCounts, record: ProductionRecord): void {
  if (record.nativeFile) countEntry(counts, record, 'native');
  if (record.placeholderFile) counts.files.placeholder++;
  counts.files.text++;
  if (record.redactedImageFile) counts.files['redacted-image']++;
  if (record.redactedTextFile) counts.files['redacted-text']++;
}

/** Adds `more` into `into`. */
export function addCounts(into: ProductionCounts, more: ProductionCounts): void {
  addFiles(into, more);
  into.rows += more.rows;
  into.optLines += more.optLines;
  into.withheldNatives += more.withheldNatives;
  for (const reason of REDACTION_REASONS) into.redactionReasons[reason] += more.redactionReasons[reason];
}

/** Adds the files of `more` into `into` (natives by parent and attachment too). */
export function addFiles(into: ProductionCounts, more: ProductionCounts): void {
  for (const kind of Object.keys(into.files) as EntryKind[]) into.files[kind] += more.files[kind];
  into.parentNatives += more.parentNatives;
  into.attachmentNatives += more.attachmentNatives;
}

/** The counts the plan expects of a set: O(count), for tests and as the reference of small sets. */
export function plannedCounts(plan: ProductionPlan, set: ProductionSet): ProductionCounts {
  const counts = emptyCounts();
  for (const record of plan.setRecords(set)) {
    countRow(counts, record, record.imageFiles.length);
    for (const entry of plan.entries(record)) countEntry(counts, record, entry.kind);
  }
  return counts;
}

export const PRODUCTION_DATE = new Date(SEEDED_NOW).toISOString().replace('.000Z', 'Z');
export const GENERATION_TIME = '0.0s';

/** Zipper's delimiter notation: a control character as `ascii:N`, any other as `char:C`, none as "". */
export function delimiterNotation(delimiter: string | null): string {
  if (!delimiter) return '';
  const code = delimiter.codePointAt(0)!;
  return code < 32 ? `ascii:${code}` : `char:${delimiter}`;
}

export interface ProductionManifest {
  productionDate: string;
  productionId: string;
  rollingSequenceNumber: number;
  batesNumberStart: string;
  batesNumberEnd: string;
  batesRangeMode: 'continuous' | 'restart';
  batesRange: { start: string; end: string; prefix: string; digits: number };
  nativeFileCount: number;
  parentNativeFileCount?: number;
  attachmentNativeFileCount?: number;
  fileType: string;
  volumeCount: number;
  volumeSize: number;
  directories: { data: string; natives: string; text: string; images: string; redacted?: string; originals?: string };
  loadFiles: { dat: string; opt: string };
  settings: { encoding: string; columnDelimiter: string; quoteDelimiter: string; seed: number };
  validationReport: string;
  generationTime: string;
  priorManifests?: unknown[];
  supplementalValidation?: SupplementalValidation;
  redactedFileCount?: number;
  withheldNativeFileCount?: number;
  redactionReasons?: Partial<Record<RedactionReason, number>>;
}

/**
 * A set's manifest, properties in Zipper's order, optional ones omitted when they do not apply.
 * `priorManifests` are recorded as sent (Zipper records the paths it was given; we get objects).
 */
export function buildManifest(plan: ProductionPlan, set: ProductionSet, counts: ProductionCounts, supplemental: SupplementalValidation | null = null): ProductionManifest {
  const { request } = plan;
  const dialect = resolveDialect(request);
  const attachments = counts.attachmentNatives > 0 || counts.rows > plan.count;
  const priors = plan.options.supplemental?.priorManifests;
  const reasons = REDACTION_REASONS.filter((reason) => counts.redactionReasons[reason] > 0);
  // One literal, optional groups spread in place: JSON keeps this insertion order.
  return {
    productionDate: PRODUCTION_DATE,
    productionId: set.id,
    rollingSequenceNumber: set.sequence,
    batesNumberStart: set.first,
    batesNumberEnd: set.last,
    batesRangeMode: plan.batesMode,
    batesRange: { start: set.first, end: set.last, prefix: plan.bates.prefix, digits: plan.bates.digits },
    nativeFileCount: counts.parentNatives + counts.attachmentNatives,
    ...(attachments ? { parentNativeFileCount: counts.parentNatives, attachmentNativeFileCount: counts.attachmentNatives } : {}),
    fileType: requestedTypes(request).join(','),
    volumeCount: plan.volumeCount,
    volumeSize: plan.volumeSize,
    directories: {
      data: DIRECTORIES.data,
      natives: DIRECTORIES.natives,
      text: DIRECTORIES.text,
      images: DIRECTORIES.images,
      ...(plan.redacted ? { redacted: DIRECTORIES.redacted } : {}),
      // Only in originals mode, as Zipper writes it.
      ...(plan.request.sources && plan.options.sourcePathMode === 'originals' ? { originals: ORIGINALS_DIRECTORY } : {}),
    },
    loadFiles: plan.loadFiles,
    settings: {
      encoding: request.encoding,
      columnDelimiter: delimiterNotation(dialect.column),
      quoteDelimiter: delimiterNotation(dialect.quote),
      seed: request.seed,
    },
    validationReport: REPORT_NAME,
    generationTime: GENERATION_TIME,
    ...(priors ? { priorManifests: priors } : {}),
    ...(supplemental ? { supplementalValidation: supplemental } : {}),
    ...(plan.redacted
      ? {
          redactedFileCount: counts.rows,
          ...(counts.withheldNatives > 0 ? { withheldNativeFileCount: counts.withheldNatives } : {}),
          redactionReasons: Object.fromEntries(reasons.map((reason) => [reason, counts.redactionReasons[reason]])),
        }
      : {}),
  };
}

/**
 * JSON as Zipper writes its sidecars: two-space indent, non-ASCII escaped as \uXXXX with
 * upper-case hex (so `char:þ` reads `char:\u00FE`); no BOM, no final newline. Zipper's encoder also
 * escapes < > & ' + ; we do not (any JSON reader reads both the same).
 */
export function sidecarJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

// ——— Validation report ———

export type FindingCode = 'PathExistence' | 'ColumnCount' | 'UniqueId' | 'BatesConsistency' | 'InvalidValue' | 'OptBoundary' | 'RowCount';

export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning';
  /** The file concerned (relative to the set), or null. */
  path: string | null;
  /** 1-based line of a load file, or null. */
  line: number | null;
  message: string;
}

export interface ValidationReport {
  status: 'passed' | 'failed';
  errorCount: number;
  warningCount: number;
  checkedFileCounts: { dat: number; opt: number; native: number; text: number; image: number };
  /** DAT rows include the header. */
  checkedLoadFileRowCounts: { dat: number; opt: number };
  findings: Finding[];
}

/**
 * The report of a set: from what was written (counts) and what the checks found (findings).
 * `totals` when findings were capped (SetValidator keeps MAX_FINDINGS): the real numbers.
 */
export function buildReport(counts: ProductionCounts, findings: Finding[], totals?: { errors: number; warnings: number }): ValidationReport {
  const errorCount = totals?.errors ?? findings.filter((finding) => finding.severity === 'error').length;
  const warningCount = totals?.warnings ?? findings.length - errorCount;
  return {
    status: errorCount === 0 ? 'passed' : 'failed',
    errorCount,
    warningCount,
    checkedFileCounts: {
      dat: 1,
      opt: 1,
      native: counts.files.native + counts.files.placeholder,
      text: counts.files.text + counts.files['redacted-text'],
      image: counts.files.image + counts.files['redacted-image'],
    },
    checkedLoadFileRowCounts: { dat: counts.rows + 1, opt: counts.optLines },
    findings,
  };
}

/** Findings where what was written differs from what the plan expects (a lost file, a missing row). */
export function countFindings(expected: ProductionCounts, written: ProductionCounts, loadFiles: { dat: string; opt: string }): Finding[] {
  const findings: Finding[] = [];
  for (const kind of Object.keys(expected.files) as EntryKind[]) {
    const missing = expected.files[kind] - written.files[kind];
    if (missing !== 0) {
      findings.push({ code: 'PathExistence', severity: 'error', path: null, line: null, message: `${expected.files[kind]} ${kind} files referenced, ${written.files[kind]} written` });
    }
  }
  if (expected.rows !== written.rows) {
    findings.push({ code: 'RowCount', severity: 'error', path: loadFiles.dat, line: null, message: `Expected ${expected.rows} rows, got ${written.rows}` });
  }
  if (expected.optLines !== written.optLines) {
    findings.push({ code: 'RowCount', severity: 'error', path: loadFiles.opt, line: null, message: `Expected ${expected.optLines} OPT lines, got ${written.optLines}` });
  }
  return findings;
}
