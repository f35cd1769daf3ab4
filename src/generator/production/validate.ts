/**
 * The checks of a set's validation report (Zipper's codes, notes §2.6), fed line by line with what
 * was written, in constant memory: ids are checked for uniqueness by their order (a set writes them
 * in strictly increasing order: `B`, `B_001` …, `B_A001`, then the next Bates), not by a set of every
 * id seen, so a 1M-document production validates at flat RSS. Path existence comes from the
 * written counts (manifest.ts countFindings).
 */
import { buildReport, type Finding, type FindingCode, type ProductionCounts, type ValidationReport } from './manifest.js';

/** Findings kept in the report; more are counted, not listed (a broken 1M set must not make a 1M-entry report). */
export const MAX_FINDINGS = 1000;

export class SetValidator {
  private readonly kept: Finding[] = [];
  private errors = 0;
  private warnings = 0;
  private lastDocId: string | null = null;
  private lastParent: string | null = null;
  private lastOptKey: string | null = null;
  private readonly index: Record<string, number>;

  constructor(
    private readonly columns: string[],
    private readonly loadFiles: { dat: string; opt: string },
  ) {
    this.index = Object.fromEntries(columns.map((name, i) => [name, i]));
  }

  private add(code: FindingCode, path: string, line: number, message: string, severity: Finding['severity'] = 'error'): void {
    if (severity === 'error') this.errors++;
    else this.warnings++;
    if (this.kept.length < MAX_FINDINGS) this.kept.push({ code, severity, path, line, message });
  }

  /** A DAT data row as written (its values), at 1-based `line` of the file (the header is line 1). */
  datRow(values: string[], line: number): void {
    const dat = this.loadFiles.dat;
    if (values.length !== this.columns.length) {
      this.add('ColumnCount', dat, line, `Expected ${this.columns.length} columns, got ${values.length} on line ${line}`);
      return;
    }
    const value = (name: string) => (this.index[name] === undefined ? undefined : values[this.index[name]!]);
    const id = value('DOCID')!;
    if (this.lastDocId !== null && !(id > this.lastDocId)) this.add('UniqueId', dat, line, `DOCID '${id}' repeats or is out of order after '${this.lastDocId}'`);
    this.lastDocId = id;
    const parent = value('PARENTDOCID');
    if (parent) {
      if (!id.startsWith(parent) || parent !== this.lastParent) this.add('BatesConsistency', dat, line, `Attachment '${id}' is not under its parent '${parent}'`);
    } else {
      this.lastParent = id;
    }
    const withheld = value('NATIVE_WITHHELD');
    if (withheld !== undefined && withheld !== 'YES' && withheld !== 'NO') this.add('InvalidValue', dat, line, `NATIVE_WITHHELD must be YES or NO, got '${withheld}' on line ${line}`);
  }

  /** An OPT line as written, split on commas, at 1-based `line`. */
  optLine(fields: string[], line: number): void {
    const opt = this.loadFiles.opt;
    if (fields.length !== 7) {
      this.add('OptBoundary', opt, line, `OPT line ${line} has ${fields.length} columns, expected 7`);
      return;
    }
    const key = fields[0]!;
    if (this.lastOptKey !== null && !(key > this.lastOptKey)) this.add('UniqueId', opt, line, `OPT key '${key}' repeats or is out of order after '${this.lastOptKey}'`);
    this.lastOptKey = key;
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
