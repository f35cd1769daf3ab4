/**
 * The checks of a set's validation report (Zipper's codes, notes §2.6), fed line by line with what
 * was written, in constant memory: ids are checked for uniqueness by their order (a set writes them
 * in strictly increasing order: `B`, `B_001` …, `B_A001`, then the next Bates), not by a set of every
 * id seen, so a 1M-document production validates at flat RSS. Path existence comes from the
 * written counts (manifest.ts countFindings).
 *
 * Lines are checked where they are made (a worker's range of rows, see rows.ts) by a LineChecker,
 * which numbers lines from the start of its range; the set's SetValidator merges the ranges in
 * order: it numbers their lines in the file, and checks id order across each boundary.
 */
import { buildReport, type Finding, type FindingCode, type ProductionCounts, type ValidationReport } from './manifest.js';

/** Findings kept in the report; more are counted, not listed (a broken 1M set must not make a 1M-entry report). */
export const MAX_FINDINGS = 1000;

/** Stands for the line number in a range's messages until the range is placed in its file (no id holds a NUL). */
const LINE = '\u0000';

export type LoadFileKind = 'dat' | 'opt';

/** What a range of lines of one load file gave: its findings (lines from 1 in the range), and its first and last ids. */
export interface LineChecks {
  file: LoadFileKind;
  lines: number;
  findings: Finding[];
  errors: number;
  warnings: number;
  firstId: string | null;
  lastId: string | null;
}

/** Checks a range of DAT rows or OPT lines as they are made. */
export class LineChecker {
  private readonly checks: LineChecks;
  private lastParent: string | null = null;
  private readonly index: Record<string, number>;

  constructor(
    file: LoadFileKind,
    private readonly columns: string[],
    private readonly loadFiles: { dat: string; opt: string },
  ) {
    this.checks = { file, lines: 0, findings: [], errors: 0, warnings: 0, firstId: null, lastId: null };
    this.index = Object.fromEntries(columns.map((name, i) => [name, i]));
  }

  private add(code: FindingCode, message: string, severity: Finding['severity'] = 'error'): void {
    const { checks } = this;
    if (severity === 'error') checks.errors++;
    else checks.warnings++;
    if (checks.findings.length < MAX_FINDINGS) checks.findings.push({ code, severity, path: this.loadFiles[checks.file], line: checks.lines, message });
  }

  private id(id: string, what: string): void {
    const { checks } = this;
    if (checks.lastId !== null && !(id > checks.lastId)) this.add('UniqueId', `${what} '${id}' repeats or is out of order after '${checks.lastId}'`);
    checks.firstId ??= id;
    checks.lastId = id;
  }

  /** The next DAT data row as written (its values). */
  datRow(values: string[]): void {
    this.checks.lines++;
    if (values.length !== this.columns.length) {
      this.add('ColumnCount', `Expected ${this.columns.length} columns, got ${values.length} on line ${LINE}`);
      return;
    }
    const value = (name: string) => (this.index[name] === undefined ? undefined : values[this.index[name]!]);
    const id = value('DOCID')!;
    this.id(id, 'DOCID');
    const parent = value('PARENTDOCID');
    if (parent) {
      // A range starts at a parent document: an attachment's parent is always in its range.
      if (!id.startsWith(parent) || parent !== this.lastParent) this.add('BatesConsistency', `Attachment '${id}' is not under its parent '${parent}'`);
    } else {
      this.lastParent = id;
    }
    const withheld = value('NATIVE_WITHHELD');
    if (withheld !== undefined && withheld !== 'YES' && withheld !== 'NO') this.add('InvalidValue', `NATIVE_WITHHELD must be YES or NO, got '${withheld}' on line ${LINE}`);
  }

  /** The next OPT line as written, split on commas. */
  optLine(fields: string[]): void {
    this.checks.lines++;
    if (fields.length !== 7) {
      this.add('OptBoundary', `OPT line ${LINE} has ${fields.length} columns, expected 7`);
      return;
    }
    this.id(fields[0]!, 'OPT key');
  }

  result(): LineChecks {
    return this.checks;
  }
}

/** A set's checks: its load files' ranges merged in order, then its report. */
export class SetValidator {
  private readonly kept: Finding[] = [];
  private errors = 0;
  private warnings = 0;
  /** Lines of each file before the next range: the DAT's header is its line 1. */
  private readonly linesBefore: Record<LoadFileKind, number> = { dat: 1, opt: 0 };
  private readonly lastId: Record<LoadFileKind, string | null> = { dat: null, opt: null };

  constructor(
    readonly columns: string[],
    readonly loadFiles: { dat: string; opt: string },
  ) {}

  /** A checker for the next range of `file` (made here or in a worker; merged with `merge`). */
  checker(file: LoadFileKind): LineChecker {
    return new LineChecker(file, this.columns, this.loadFiles);
  }

  private add(finding: Finding): void {
    if (finding.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.kept.length < MAX_FINDINGS) this.kept.push(finding);
  }

  /** The next range of a file, in order. */
  merge(checks: LineChecks): void {
    const before = this.linesBefore[checks.file];
    const last = this.lastId[checks.file];
    if (last !== null && checks.firstId !== null && !(checks.firstId > last)) {
      const what = checks.file === 'dat' ? 'DOCID' : 'OPT key';
      this.add({ code: 'UniqueId', severity: 'error', path: this.loadFiles[checks.file], line: before + 1, message: `${what} '${checks.firstId}' repeats or is out of order after '${last}'` });
    }
    // Counted here: the range's findings beyond those it kept (add() counts the kept ones).
    const keptErrors = checks.findings.filter((finding) => finding.severity === 'error').length;
    this.errors += checks.errors - keptErrors;
    this.warnings += checks.warnings - (checks.findings.length - keptErrors);
    for (const finding of checks.findings) {
      const line = before + finding.line!;
      this.add({ ...finding, line, message: finding.message.replace(LINE, String(line)) });
    }
    this.linesBefore[checks.file] = before + checks.lines;
    if (checks.lastId !== null) this.lastId[checks.file] = checks.lastId;
  }

  get errorCount(): number {
    return this.errors;
  }

  get warningCount(): number {
    return this.warnings;
  }

  /** The set's report: the line checks' findings (at most MAX_FINDINGS kept) and `extra` (countFindings), real totals. */
  report(counts: ProductionCounts, extra: Finding[] = []): ValidationReport {
    const extraErrors = extra.filter((finding) => finding.severity === 'error').length;
    return buildReport(counts, [...this.kept, ...extra], { errors: this.errors + extraErrors, warnings: this.warnings + extra.length - extraErrors });
  }
}
