import { mix32 } from '../../random.js';
import { compileDateFormat, epochDay, formatDay } from '../date-format.js';
import type { RowContext } from '../columns.js';
import type { DataSource, ProfileColumn } from './types.js';

/**
 * Value generators of profile columns (Zipper's generator kinds, our seeded randomness). Every cell
 * draws from a stream of its own, a pure function of (seed, row, column): document i's row is the
 * same in every format and random access, and a format that leaves a column out shifts nothing.
 */

/** The stream of one cell: a mulberry32 state set from the row's hash and the column's salt. No allocation. */
export class CellRandom {
  private state = 0;

  reset(rowHash: number, salt: number): void {
    this.state = mix32(rowHash ^ salt);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }
}

/** A column's salt: FNV-1a of its name, so its values do not depend on where it stands. */
export function columnSalt(name: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < name.length; k++) hash = Math.imul(hash ^ name.charCodeAt(k), 0x01000193);
  return mix32(hash >>> 0);
}

/** Per-row hashes for a seed and stream: row key → 32 bits, keys up to 2^53. */
export function rowHasher(seed: number, stream: number): (key: number) => number {
  const low = mix32((seed >>> 0) ^ mix32(stream));
  const high = mix32((Math.floor(seed / 2 ** 32) >>> 0) ^ 0x85ebca6b);
  return (key) => mix32(mix32((key >>> 0) ^ low) ^ (Math.floor(key / 2 ** 32) >>> 0) ^ high);
}

/** A row's key: its document's index, and another for a family's attachment (a row of its own). */
export function rowKey(row: RowContext): number {
  return row.doc.index * 2 + (row.doc.attachmentOf ? 1 : 0);
}

/**
 * The cells of the row being written: the row's hash is computed once (on its first cell), each
 * cell then resets one shared stream. Cells are drawn synchronously, one at a time.
 */
export class RowCells {
  private readonly rng = new CellRandom();
  private row: RowContext | null = null;
  private hash = 0;

  constructor(private readonly hashRow: (key: number) => number) {}

  cell(row: RowContext, salt: number): CellRandom {
    if (row !== this.row) {
      this.row = row;
      this.hash = this.hashRow(rowKey(row));
    }
    this.rng.reset(this.hash, salt);
    return this.rng;
  }
}

// Pools (our own words; Zipper's counts where a distribution depends on them).
const FIRST_NAMES = [
  'adam', 'alice', 'brian', 'carla', 'daniel', 'diana', 'edward', 'elena', 'frank', 'grace', 'henry', 'irene', 'jacob', 'julia',
  'kevin', 'laura', 'martin', 'nadia', 'oscar', 'paula', 'quentin', 'rachel', 'samuel', 'sofia', 'thomas', 'ursula', 'victor',
  'wendy', 'xavier', 'yvonne', 'zachary', 'olivia',
];
const LAST_NAMES = [
  'anderson', 'baker', 'carter', 'dawson', 'ellis', 'fischer', 'garner', 'hughes', 'ingram', 'jensen', 'keller', 'lambert',
  'mendez', 'nolan', 'owens', 'parker', 'quinn', 'reyes', 'sutton', 'turner', 'underwood', 'vance', 'walsh', 'young', 'zimmer',
  'brooks', 'chavez', 'doyle', 'foster', 'harper', 'morgan',
];
const EMAIL_DOMAINS = ['example.com', 'company.org', 'corp.net', 'business.io', 'enterprise.co'];
/** Every address, built once: a cell picks one, it builds no string. */
const ADDRESSES = FIRST_NAMES.flatMap((first) => LAST_NAMES.flatMap((last) => EMAIL_DOMAINS.map((domain) => `${first}.${last}@${domain}`)));

const SUBJECT_PREFIXES = ['', 'Re: ', 'Fwd: ', 'RE: ', 'FW: '];
const SUBJECTS = [
  'Quarterly numbers', 'Draft agreement attached', 'Meeting tomorrow', 'Vendor onboarding', 'Board deck comments',
  'Revised forecast', 'Customer escalation', 'Hold notice acknowledgement', 'Travel approval', 'Pricing exception',
  'Audit request list', 'Weekly status', 'Signed contract', 'Invoice discrepancy', 'Project kickoff', 'Policy update',
];
const EMAIL_SUBJECTS = SUBJECT_PREFIXES.flatMap((prefix) => SUBJECTS.map((subject) => prefix + subject));

const REVIEW_NOTES = [
  'Reviewed; no privilege issues found.',
  'Escalate to second-level review.',
  'Contains pricing terms; mark confidential.',
  'Possible attorney-client communication.',
  'Duplicate of an earlier production.',
  'Foreign-language content; send for translation.',
  'Responsive to request 4.',
  'Partially responsive; redact personal data.',
  'Hot document for deposition prep.',
  'Not responsive; personal correspondence.',
];
const ENCODINGS = ['UTF-8', 'ASCII', 'UTF-16', 'ISO-8859-1', 'Windows-1252'];
const TIMEZONES = ['UTC', 'America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Europe/London', 'Europe/Paris', 'Asia/Tokyo', 'Asia/Shanghai'];
const LOREM = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ' +
  'enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in ' +
  'reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa ' +
  'qui officia deserunt mollit anim id est laborum'
).split(' ');
const LOREM_CAPITALISED = LOREM.map((word) => word[0]!.toUpperCase() + word.slice(1));
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A data source ready to draw from: its values and how an index is picked. */
export interface Pool {
  values: readonly string[];
  pick(rng: CellRandom): number;
}

/**
 * A data source's pool: its values, or `{prefix}1 … {prefix}{count}`. `uniform` ignores weights (as
 * Zipper); `pareto` draws 80 % of picks from the first fifth; `weighted` follows the weights (a
 * value past the last weight is never picked). `size` (custodianCount) truncates or regenerates.
 */
export function compilePool(source: DataSource, size?: number): Pool {
  let values = source.values ?? Array.from({ length: source.count ?? 0 }, (_, k) => `${source.prefix ?? ''}${k + 1}`);
  let weights = source.weights;
  if (size !== undefined) {
    if (source.values) {
      values = values.slice(0, size);
      weights = weights?.slice(0, size);
    } else {
      values = Array.from({ length: size }, (_, k) => `${source.prefix ?? ''}${k + 1}`);
    }
  }
  const n = values.length;
  switch (source.distribution) {
    case 'pareto': {
      const head = Math.max(1, Math.floor(n / 5));
      return { values, pick: (rng) => (rng.float() < 0.8 ? rng.below(head) : rng.below(n)) };
    }
    case 'weighted': {
      const cumulative: number[] = [];
      let total = 0;
      for (const weight of weights ?? []) cumulative.push((total += weight));
      if (total <= 0) return { values, pick: (rng) => rng.below(n) };
      return {
        values,
        pick: (rng) => {
          const target = rng.float() * total;
          let low = 0;
          let high = cumulative.length - 1;
          while (low < high) {
            const middle = (low + high) >>> 1;
            if (cumulative[middle]! > target) high = middle;
            else low = middle + 1;
          }
          return low;
        },
      };
    }
    default:
      return { values, pick: (rng) => rng.below(n) };
  }
}

/** Makes a cell's value from its stream and its row. */
export type CellGenerator = (rng: CellRandom, row: RowContext) => string;

export interface GeneratorContext {
  pools: ReadonlyMap<string, Pool>;
  /** Joins the values of a multi-value cell. */
  multiValue: string;
  dateFormat: string;
  dateTimeFormat: string;
  /** The request set every column's empty rate to 0: multi-value minimums of 0 become 1 (as Zipper). */
  neverEmpty: boolean;
}

const DEFAULT_DATE_RANGE = { min: '2020-01-01', max: '2024-12-31' };

function multiCount(column: ProfileColumn, context: GeneratorContext): { min: number; max: number } {
  const { min, max } = column.multiValueCount ?? { min: 1, max: 3 };
  return { min: context.neverEmpty && min === 0 ? Math.min(1, max) : min, max };
}

/** `count` distinct values of a pool (at most as many as it has), the first by its distribution. */
function distinctPicks(rng: CellRandom, pool: Pool, count: number, separator: string, chosen: Int32Array): string {
  const { values } = pool;
  const k = Math.min(count, values.length, chosen.length);
  let text = '';
  for (let made = 0; made < k; ) {
    const index = made === 0 ? pool.pick(rng) : rng.below(values.length);
    let seen = false;
    for (let j = 0; j < made; j++) if (chosen[j] === index) seen = true;
    if (seen) continue;
    chosen[made] = index;
    text += (made === 0 ? '' : separator) + values[index];
    made++;
  }
  return text;
}

function hex(rng: CellRandom, characters: number): string {
  let text = '';
  while (text.length < characters) {
    const word = rng.next();
    text += HEX_BYTES[word & 0xff]! + HEX_BYTES[(word >>> 8) & 0xff]! + HEX_BYTES[(word >>> 16) & 0xff]! + HEX_BYTES[word >>> 24]!;
  }
  return text.length === characters ? text : text.slice(0, characters);
}

function lorem(rng: CellRandom, paragraphs: { min: number; max: number }): string {
  let text = '';
  const count = rng.between(paragraphs.min, paragraphs.max);
  for (let p = 0; p < count; p++) {
    const sentences = rng.between(3, 6);
    for (let s = 0; s < sentences; s++) {
      const words = rng.between(8, 19);
      if (p > 0 || s > 0) text += ' ';
      text += LOREM_CAPITALISED[rng.below(LOREM.length)]!;
      for (let w = 1; w < words; w++) text += ' ' + LOREM[rng.below(LOREM.length)]!;
      text += '.';
    }
  }
  return text;
}

/** Zipper's legacy type names, read as the generator kinds they stand for. */
const LEGACY: Partial<Record<ProfileColumn['type'], Partial<ProfileColumn>>> = {
  legacydatesent: { type: 'datetime' },
  emailsentdate: { type: 'datetime' },
  syntheticemailsentdate: { type: 'datetime' },
  legacydatecreated: { type: 'date' },
  emailto: { type: 'email', multiValue: true },
  emailcc: { type: 'email', multiValue: true },
  syntheticemailto: { type: 'email', multiValue: true },
  syntheticemailcc: { type: 'email', multiValue: true },
  emailfrom: { type: 'email', multiValue: false },
  syntheticemailfrom: { type: 'email', multiValue: false },
  emailsubject: { type: 'text', generator: 'emailsubject' },
  syntheticemailsubject: { type: 'text', generator: 'emailsubject' },
  randomfilesize: { type: 'number', range: { min: 1024, max: 10_485_760 } },
};

/** The generator of a column (its type, source, range, format…), made once per load file. */
export function cellGenerator(given: ProfileColumn, context: GeneratorContext): CellGenerator {
  const column: ProfileColumn = { ...given, ...LEGACY[given.type] };
  const pool = column.dataSource === undefined ? undefined : context.pools.get(column.dataSource);
  switch (column.type) {
    case 'identifier':
    case 'filedatasize': // replaced by the real size (see profile columns)
      return (_rng, row) => row.doc.controlNumber;
    case 'foldercustodian':
      return (_rng, row) => `Custodian ${row.doc.folder}`;
    case 'indexcustodian':
    case 'legacyauthor':
      if (pool) return (rng) => pool.values[pool.pick(rng)]!;
      return (rng) => ADDRESSES[rng.below(ADDRESSES.length)]!;
    case 'emailattachment':
      return (_rng, row) => (row.doc.type === 'eml' && row.doc.hasAttachment ? `${row.doc.controlNumber}_attachment.pdf` : '');
    case 'text':
      return textGenerator(column, pool);
    case 'longtext': {
      if (column.generator === 'reviewNote') return (rng) => REVIEW_NOTES[rng.below(REVIEW_NOTES.length)]!;
      const paragraphs = column.generatorParams ?? { min: 1, max: 3 };
      return (rng) => lorem(rng, paragraphs);
    }
    case 'date':
    case 'datetime': {
      const withTime = column.type === 'datetime';
      const format = compileDateFormat(column.format ?? (withTime ? context.dateTimeFormat : context.dateFormat));
      const range = column.dateRange ?? DEFAULT_DATE_RANGE;
      const first = epochDay(range.min)!;
      const days = epochDay(range.max)! - first + 1;
      if (!withTime) return (rng) => formatDay(format, first + rng.below(days));
      return (rng) => {
        const day = first + rng.below(days);
        return formatDay(format, day, rng.below(24) * 3600 + rng.below(60) * 60);
      };
    }
    case 'number':
      return numberGenerator(column);
    case 'boolean': {
      const [yes, no] = BOOLEAN_TEXT[(column.format ?? 'yn').toLowerCase()] ?? BOOLEAN_TEXT.yn!;
      const share = column.truePercentage ?? 50;
      return (rng) => (rng.below(100) < share ? yes : no);
    }
    case 'coded': {
      if (!pool || pool.values.length === 0) return () => '';
      if (!column.multiValue) return (rng) => pool.values[pool.pick(rng)]!;
      const { min, max } = multiCount(column, context);
      const chosen = new Int32Array(Math.max(1, max));
      return (rng) => distinctPicks(rng, pool, rng.between(min, max), context.multiValue, chosen);
    }
    case 'email': {
      if (!column.multiValue) return (rng) => ADDRESSES[rng.below(ADDRESSES.length)]!;
      const { min, max } = multiCount(column, context);
      const separator = context.multiValue;
      return (rng) => {
        const count = rng.between(min, max);
        let text = '';
        for (let k = 0; k < count; k++) text += (k === 0 ? '' : separator) + ADDRESSES[rng.below(ADDRESSES.length)]!;
        return text;
      };
    }
    default:
      return (_rng, row) => `Value_${row.doc.index}_${given.name}`;
  }
}

const BOOLEAN_TEXT: Record<string, [string, string]> = { yn: ['Y', 'N'], truefalse: ['True', 'False'], '10': ['1', '0'] };

const TEXT_LISTS: Record<string, readonly string[]> = {
  emailsubject: EMAIL_SUBJECTS,
  reviewnote: REVIEW_NOTES,
  encoding: ENCODINGS,
  timezone: TIMEZONES,
};
const HASH_LENGTHS: Record<string, number> = { md5hash: 32, sha1hash: 40, sha256hash: 64 };

function textGenerator(column: ProfileColumn, pool: Pool | undefined): CellGenerator {
  if (pool) return pool.values.length === 0 ? () => '' : (rng) => pool.values[pool.pick(rng)]!;
  const generator = column.generator;
  if (generator === undefined) return (_rng, row) => `Value_${row.doc.index}_${column.name}`;
  const key = generator.toLowerCase();
  const list = TEXT_LISTS[key];
  if (list) return (rng) => list[rng.below(list.length)]!;
  const length = HASH_LENGTHS[key];
  if (length !== undefined) return (rng) => hex(rng, length);
  return (_rng, row) => `Generated_${generator}_${row.doc.index}`;
}

function numberGenerator(column: ProfileColumn): CellGenerator {
  const { min, max } = column.range ?? { min: 0, max: 1000 };
  const span = max - min;
  switch (column.distribution) {
    case 'exponential': {
      if (span <= 0) return () => String(min);
      const rate = 3 / span;
      return (rng) => String(Math.min(max, min + Math.trunc(-Math.log(1 - rng.float()) / rate)));
    }
    case 'gaussian':
    case 'normal': {
      const mean = (min + max) / 2;
      const deviation = span / 6;
      return (rng) => {
        const u = 1 - rng.float();
        const v = rng.float();
        const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        return String(Math.min(max, Math.max(min, Math.round(mean + z * deviation))));
      };
    }
    default:
      return (rng) => String(rng.between(min, max));
  }
}

