/**
 * Chaos in one load file: which of its lines are broken, by which type, and how. Targets are the
 * file's lines (the header included where it has one; EDRM-XML: its Document lines), chosen by a
 * seeded permutation, so line t's fate is decided alone, the same in the writer and in the answer
 * key. Types are dealt round-robin over the chosen lines in permutation order.
 */
import { resolveDialect, type LoadFileDialect } from '../loadfile/dialect.js';
import { CONCORDANCE_QUOTE, LOAD_FILE_WRITERS } from '../loadfile/formats.js';
import type { ArchivePlan } from '../plan.js';
import { Rng, Stream } from '../random.js';
import { IMAGE_TYPES, requestedLoadFileFormats, type LoadFileFormat } from '../request.js';
import { DEFAULT_AMOUNT, SCENARIOS, targetCount, typesOfFormat, type ChaosAmount, type ChaosType } from './catalogue.js';
import { Permutation } from './permutation.js';

/** Record id of the header line. */
const HEADER_RECORD = 'HEADER';

/** One broken line, as the answer key and the audit file list it. */
export interface LineAnomaly {
  /** 1-based physical line. */
  line: number;
  recordId: string;
  column: string;
  type: ChaosType;
  description: string;
}

/** A broken line's text (without its line end), and raw bytes to write after its line end. */
export interface BrokenLine {
  text: string;
  after: Buffer | null;
}

/** Bytes no decoder of the encoding accepts (Zipper's choice per encoding). */
const INVALID_BYTES = { 'UTF-8': Buffer.from([0xfe, 0xff]), 'UTF-16': Buffer.from([0x00, 0xd8]), ANSI: Buffer.from([0x81, 0x8d, 0x8f]) } as const;
const ALTERNATIVE_DELIMITERS = [',', '\t', '|'];
const BAD_OPT_PATH = 'IMAGES\\..\\..\\invalid\\path.tif';
const BAD_ENTITY = '&zipperChaos;';

/** The requested types (or the scenario's, or every type) that break this format's lines. */
export function enabledTypes(plan: ArchivePlan, format: LoadFileFormat, dialect: LoadFileDialect): ChaosType[] {
  const chaos = plan.request.chaos;
  if (!chaos) return [];
  const ofFormat = typesOfFormat(format);
  const scenarioTypes = chaos.scenario ? SCENARIOS[chaos.scenario].types : null;
  const asked = chaos.types ?? scenarioTypes ?? requestedLoadFileFormats(plan.request).flatMap(typesOfFormat);
  // `quotes` needs a quote to remove: none in a DAT without one (Concordance always has þ).
  const unquoted = format === 'dat' && dialect.quote === null;
  return [...new Set(asked)].filter((type) => ofFormat.includes(type) && !(unquoted && type === 'quotes'));
}

export function chaosAmount(plan: ArchivePlan): ChaosAmount {
  const chaos = plan.request.chaos;
  if (chaos?.amount) return chaos.amount;
  if (chaos?.scenario) return { percent: SCENARIOS[chaos.scenario].percent };
  return DEFAULT_AMOUNT;
}

export class LoadFileChaos {
  readonly dialect: LoadFileDialect;
  /** Targets: lines that can be broken. */
  readonly total: number;
  /** How many are. */
  readonly count: number;
  private readonly permutation: Permutation;
  private readonly hasHeader: boolean;
  /** Lines before the first target line: EDRM-XML's head (declaration, Root, Batch, Documents), as its writer writes it. */
  private readonly headLines: number;

  constructor(
    private readonly plan: ArchivePlan,
    readonly format: LoadFileFormat,
    readonly types: ChaosType[],
    /** Columns of a delimited format's lines. */
    private readonly columns: number,
    /** Targets, when already counted (a worker is told them: counting is O(count)). */
    total?: number,
  ) {
    this.dialect = resolveDialect(plan.request);
    this.hasHeader = format === 'dat' || format === 'concordance' || format === 'csv';
    this.headLines = format === 'edrm-xml' ? LOAD_FILE_WRITERS[format](this.dialect).header([], plan.request.encoding).split(this.dialect.eol).length - 1 : 0;
    this.total = total ?? (this.hasHeader ? 1 : 0) + recordsOf(plan, format);
    this.count = types.length === 0 ? 0 : targetCount(chaosAmount(plan), this.total);
    this.permutation = new Permutation(this.total, plan.request.seed, Stream.chaos + formatSalt(format));
  }

  /** Target index of the header (0) or of record r (0-based) of the file. */
  targetOfRecord(record: number): number {
    return record + (this.hasHeader ? 1 : 0);
  }

  /** Physical line (1-based) of a target. */
  lineOf(target: number): number {
    return target + this.headLines + 1;
  }

  /** The type breaking target t, or null when it stays intact. */
  typeAt(target: number): ChaosType | null {
    if (this.count === 0) return null;
    const rank = this.permutation.permute(target);
    return rank < this.count ? this.types[rank % this.types.length]! : null;
  }

  /** Whether any of `records` targets from `first` is broken (most rows: none). */
  anyBroken(first: number, records: number): boolean {
    for (let target = first; target < first + records; target++) if (this.typeAt(target) !== null) return true;
    return false;
  }

  /** The broken targets, in file order. */
  chosenTargets(): Float64Array {
    const targets = new Float64Array(this.count);
    for (let rank = 0; rank < this.count; rank++) targets[rank] = this.permutation.invert(rank);
    return targets.sort();
  }

  private rng(target: number): Rng {
    return new Rng(this.plan.request.seed, Stream.chaos ^ formatSalt(this.format), target);
  }

  private quote(): string | null {
    return this.format === 'concordance' ? CONCORDANCE_QUOTE : this.format === 'csv' ? '"' : this.dialect.quote;
  }

  /**
   * The seeded choices of target t's anomaly — which delimiter (1-based; mixed-delimiters) or which of
   * its two variants — made once here, so the bytes `apply` writes and the words `describe` gives agree.
   */
  private choice(target: number, type: ChaosType): { delimiter: number; first: boolean } {
    const rng = this.rng(target);
    if (type === 'mixed-delimiters') return { delimiter: 1 + rng.below(Math.max(1, this.columns - 1)), first: true };
    return { delimiter: 0, first: rng.below(2) === 0 };
  }

  /** What the answer key says of target t, broken by `type`. */
  describe(target: number, type: ChaosType, recordId: string): LineAnomaly {
    const line = this.lineOf(target);
    const { delimiter: k, first } = this.choice(target, type);
    const anomaly = (column: string, description: string): LineAnomaly => ({ line, recordId, column, type, description });
    switch (type) {
      case 'mixed-delimiters':
        return anomaly(`Delimiter ${k}`, `The column delimiter between fields ${k} and ${k + 1} is replaced by another character.`);
      case 'quotes':
        return anomaly(`Column ${this.columns}`, `The last field's closing quote is missing.`);
      case 'columns':
        return first
          ? anomaly('N/A', 'An empty field is inserted after the first one: the line has one column too many.')
          : anomaly('N/A', 'The first column delimiter is removed: fields 1 and 2 run together, one column too few.');
      case 'eol':
        return anomaly('Field 1', 'A raw line break is inserted inside the first field.');
      case 'encoding':
        return { line, recordId: 'N/A', column: 'N/A', type, description: `Bytes invalid in ${this.plan.request.encoding} are written between lines ${line} and ${line + 1}.` };
      case 'opt-boundary':
        return anomaly('Column 4', 'The document-break flag is flipped.');
      case 'opt-columns':
        return first ? anomaly('N/A', 'A comma is appended: eight fields instead of seven.') : anomaly('N/A', 'The first comma is removed: six fields instead of seven.');
      case 'opt-pagecount':
        return anomaly('Column 7', `The page count is replaced by ${first ? 'ABC' : '-1'}.`);
      case 'opt-path':
        return anomaly('Column 3', `The image path is replaced by ${BAD_OPT_PATH}.`);
      case 'opt-batesnumber':
        return anomaly('Column 1', 'The image key (Bates number) is removed.');
      case 'csv-quotes':
        return anomaly(`Column ${this.columns}`, 'The last field opens a quote that never closes.');
      case 'csv-columns':
        return first
          ? anomaly('N/A', 'An empty field is appended: the record has one column too many.')
          : anomaly('N/A', 'The first comma is removed: fields 1 and 2 run together, one column too few.');
      case 'xml-unclosed-tag':
        return anomaly('Document', 'The Document element is never closed (its </Document> end tag is removed).');
      case 'xml-bad-entity':
        return anomaly('DocID', `The DocID attribute holds an undefined entity reference ${BAD_ENTITY}.`);
      default:
        throw new Error(`not a load-file type: ${type}`);
    }
  }

  /** Target t's line (text without its line end), broken by `type`: the choices `describe` tells. */
  apply(target: number, type: ChaosType, text: string): BrokenLine {
    const { delimiter: k, first } = this.choice(target, type);
    const quote = this.quote();
    const column = this.format === 'csv' || this.format === 'opt' ? ',' : this.dialect.column;
    const separator = quote === null ? column : quote + column + quote;
    const broken = (result: string): BrokenLine => ({ text: result, after: null });
    switch (type) {
      case 'mixed-delimiters': {
        const at = nthIndexOf(text, separator, k);
        if (at < 0) return broken(text);
        const alternatives = ALTERNATIVE_DELIMITERS.filter((candidate) => candidate !== column && candidate !== quote);
        const offset = quote === null ? 0 : quote.length;
        return broken(text.slice(0, at + offset) + alternatives[0]! + text.slice(at + offset + column.length));
      }
      case 'quotes': {
        const at = quote === null ? -1 : text.lastIndexOf(quote);
        return broken(at < 0 ? text : text.slice(0, at) + text.slice(at + 1));
      }
      case 'columns':
      case 'csv-columns': {
        const at = type === 'csv-columns' ? firstUnquotedComma(text) : text.indexOf(separator);
        if (first) {
          if (type === 'csv-columns') return broken(`${text},`);
          const emptyField = quote === null ? column : column + quote + quote;
          return broken(at < 0 ? text : text.slice(0, at + (quote?.length ?? 0)) + emptyField + text.slice(at + (quote?.length ?? 0)));
        }
        if (at < 0) return broken(text);
        // Without the delimiter the two quotes meet (a doubled quote: one literal quote inside one field).
        const offset = type === 'csv-columns' || quote === null ? 0 : quote.length;
        return broken(text.slice(0, at + offset) + text.slice(at + offset + column.length));
      }
      case 'eol': {
        const open = quote === null ? -1 : text.indexOf(quote);
        const close = open < 0 || quote === null ? -1 : text.indexOf(quote, open + quote.length);
        const at = close > open + 1 ? Math.floor((open + 1 + close) / 2) : Math.floor(text.length / 2);
        return broken(text.slice(0, at) + this.dialect.eol + text.slice(at));
      }
      case 'encoding':
        return { text, after: INVALID_BYTES[this.plan.request.encoding] };
      case 'opt-boundary': {
        const fields = text.split(',');
        fields[3] = fields[3] === 'Y' ? '' : 'Y';
        return broken(fields.join(','));
      }
      case 'opt-columns': {
        if (first) return broken(`${text},`);
        const at = text.indexOf(',');
        return broken(text.slice(0, at) + text.slice(at + 1));
      }
      case 'opt-pagecount': {
        const at = text.lastIndexOf(',');
        return broken(text.slice(0, at + 1) + (first ? 'ABC' : '-1'));
      }
      case 'opt-path': {
        const fields = text.split(',');
        fields[2] = BAD_OPT_PATH;
        return broken(fields.join(','));
      }
      case 'opt-batesnumber':
        return broken(text.slice(text.indexOf(',')));
      case 'csv-quotes': {
        const at = lastUnquotedComma(text);
        const last = text.slice(at + 1);
        // A quoted last field loses its closing quote; a bare one gains an opening quote.
        return broken(last.startsWith('"') ? text.slice(0, -1) : `${text.slice(0, at + 1)}"${last}`);
      }
      case 'xml-unclosed-tag': {
        const at = text.lastIndexOf('</Document>');
        return broken(at < 0 ? text : text.slice(0, at) + text.slice(at + '</Document>'.length));
      }
      case 'xml-bad-entity':
        return broken(text.replace('DocID="', `DocID="${BAD_ENTITY}`));
      default:
        throw new Error(`not a load-file type: ${type}`);
    }
  }
}

function nthIndexOf(text: string, needle: string, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** Commas outside quoted fields (RFC 4180). */
function unquotedCommas(text: string): number[] {
  const commas: number[] = [];
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const c = text[at];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) commas.push(at);
  }
  return commas;
}

function firstUnquotedComma(text: string): number {
  return unquotedCommas(text)[0] ?? -1;
}

function lastUnquotedComma(text: string): number {
  return unquotedCommas(text).at(-1) ?? -1;
}

function formatSalt(format: LoadFileFormat): number {
  return ['dat', 'opt', 'csv', 'edrm-xml', 'concordance'].indexOf(format) + 1;
}

/**
 * The records document i adds to a load file (its row and its attachment's; OPT: one per image
 * page), without drawing its metadata unless OPT needs a multipage TIFF's pages.
 */
export function recordsOfDocument(plan: ArchivePlan, format: LoadFileFormat, index: number): number {
  const type = plan.typeOf(index);
  const child = plan.request.withFamilies && plan.hasAttachment(index, type) ? 1 : 0;
  if (format !== 'opt') return 1 + child;
  const pages = !IMAGE_TYPES.includes(type) ? 0 : type === 'tiff' && plan.request.tiffPages ? plan.document(index).pageCount : 1;
  // An attachment is a one-page PDF.
  return pages + child;
}

/** Whether every document adds exactly one record (no families; OPT: every document a one-page image). */
function oneRecordEach(plan: ArchivePlan, format: LoadFileFormat): boolean {
  if (plan.request.withFamilies) return false;
  if (format !== 'opt') return true;
  const types = [...plan.typeCounts.entries()].filter(([, count]) => count > 0).map(([type]) => type);
  return types.every((type) => IMAGE_TYPES.includes(type) && !(type === 'tiff' && plan.request.tiffPages));
}

/** Records of documents from … to − 1. */
export function recordsInRange(plan: ArchivePlan, format: LoadFileFormat, from: number, to: number): number {
  if (oneRecordEach(plan, format)) return to - from;
  let records = 0;
  for (let index = from; index < to; index++) records += recordsOfDocument(plan, format, index);
  return records;
}

function recordsOf(plan: ArchivePlan, format: LoadFileFormat): number {
  return recordsInRange(plan, format, 1, plan.count + 1);
}

// Keyed by the request: a plan and the same plan with padding (sizing's) share it.
const chaosByRequest = new WeakMap<object, Map<LoadFileFormat, LoadFileChaos | null>>();

/** The chaos of one of the plan's load files, or null when no type breaks its lines (computed once per plan). */
export function loadFileChaos(plan: ArchivePlan, format: LoadFileFormat, columns: () => number, total?: number): LoadFileChaos | null {
  let byFormat = chaosByRequest.get(plan.request);
  if (!byFormat) chaosByRequest.set(plan.request, (byFormat = new Map()));
  if (!byFormat.has(format)) {
    const types = enabledTypes(plan, format, resolveDialect(plan.request));
    byFormat.set(format, types.length === 0 ? null : new LoadFileChaos(plan, format, types, columns(), total));
  }
  return byFormat.get(format)!;
}

/**
 * The broken lines of one load file, in file order, with their record ids: the answer key's entries,
 * made one at a time (only the chosen line numbers are held, 8 bytes each).
 */
export function* lineAnomalies(chaos: LoadFileChaos, plan: ArchivePlan): Generator<LineAnomaly> {
  const chosen = chaos.chosenTargets();
  const entry = (target: number, recordId: string) => chaos.describe(target, chaos.typeAt(target)!, recordId);
  let next = 0;
  if (chosen[0] === 0 && chaos.targetOfRecord(0) === 1) yield entry(chosen[next++]!, HEADER_RECORD);
  if (oneRecordEach(plan, chaos.format)) {
    // Record r is document r + 1's row.
    for (; next < chosen.length; next++) yield entry(chosen[next]!, plan.names(chosen[next]! - chaos.targetOfRecord(0) + 1).controlNumber);
    return;
  }
  // Walk documents counting records; only a document holding a chosen record is looked at closely.
  let record = 0;
  for (let index = 1; index <= plan.count && next < chosen.length; index++) {
    const records = recordsOfDocument(plan, chaos.format, index);
    while (next < chosen.length && chaos.targetOfRecord(record + records - 1) >= chosen[next]!) {
      const offset = chosen[next]! - chaos.targetOfRecord(record);
      yield entry(chosen[next++]!, recordIdOf(plan, chaos.format, index, offset));
    }
    record += records;
  }
}

/** Control number of a document's k-th record (its pages, then its attachment's). */
function recordIdOf(plan: ArchivePlan, format: LoadFileFormat, index: number, k: number): string {
  const family = plan.request.withFamilies ? plan.family(index) : [plan.names(index)];
  if (format !== 'opt') return family[k]!.controlNumber;
  const parent = plan.family(index);
  const pages = IMAGE_TYPES.includes(parent[0]!.type) ? parent[0]!.pageCount : 0;
  return k < pages ? parent[0]!.controlNumber : parent[1]!.controlNumber;
}
