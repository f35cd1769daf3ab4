import type { RecordSet } from './records.js';

export const COMPARISON_MODES = ['replacement', 'supplemental', 'reproduction'] as const;
export type ComparisonMode = (typeof COMPARISON_MODES)[number];

export interface RecordDetail {
  batesNumber: string;
  controlNumber: string;
  filePath: string;
  hash: string;
  volume: string;
}
export interface ChangedDetail {
  batesNumber: string;
  controlNumber: string;
  priorPath: string;
  newPath: string;
  priorHash: string;
  newHash: string;
}
export interface ReplacedDetail {
  priorBatesNumber: string;
  newBatesNumber: string;
  controlNumber: string;
}
export interface DuplicateDetail {
  set: 'prior' | 'new';
  batesNumber: string;
  controlNumber: string;
  message: string;
}
export interface BatesSpanReport {
  start: string;
  end: string;
}
export interface VolumeResult {
  productionId: string;
  volumeName: string;
  priorBatesRange: string;
  newBatesRange: string;
  status: 'unchanged' | 'added' | 'removed' | 'changed';
}
export interface ComparisonSummary {
  totalPriorRecords: number;
  totalNewRecords: number;
  addedCount: number;
  removedCount: number;
  unchangedCount: number;
  changedCount: number;
  replacedCount: number;
  duplicateCount: number;
}
export interface BatesAnalysis {
  priorRange: string;
  newRange: string;
  gaps: BatesSpanReport[];
  overlaps: BatesSpanReport[];
  totalSkippedBates: number;
  priorRangesByProductionSet: Record<string, string>;
}

/** Zipper's comparison report, as a plain object (small comparisons, tests). */
export interface ComparisonReport {
  comparisonMode: ComparisonMode;
  manifests: string[];
  summary: ComparisonSummary;
  batesAnalysis: BatesAnalysis;
  volumeAnalysis: VolumeResult[];
  details: {
    added: RecordDetail[];
    removed: RecordDetail[];
    unchanged: RecordDetail[];
    changed: ChangedDetail[];
    replaced: ReplacedDetail[];
    duplicates: DuplicateDetail[];
    skipped: BatesSpanReport[];
  };
}

/**
 * A comparison: the report's small parts as values, its per-record lists as row indices into the two
 * record sets (materialised one item at a time by `detailItems`, so a report of a million rows is
 * streamed, never built whole).
 */
export interface Comparison {
  comparisonMode: ComparisonMode;
  manifests: string[];
  summary: ComparisonSummary;
  batesAnalysis: BatesAnalysis;
  volumeAnalysis: VolumeResult[];
  prior: RecordSet;
  next: RecordSet;
  /** Indices into next (added, unchanged), prior (removed), [next, prior] pairs (changed, replaced). */
  added: number[];
  removed: number[];
  unchanged: number[];
  changed: number[];
  replaced: number[];
  duplicates: DuplicateDetail[];
  skipped: BatesSpanReport[];
}

/** Case-insensitive keys, as Zipper's OrdinalIgnoreCase. */
const key = (value: string) => value.toUpperCase();

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function findDuplicates(records: RecordSet, set: 'prior' | 'new', byBates: Map<string, number>, byControl: Map<string, number>, into: DuplicateDetail[]): void {
  for (let i = 0; i < records.size; i++) {
    const bates = records.bates[i]!;
    const control = records.control(i);
    if (bates !== '') {
      const first = byBates.get(key(bates));
      if (first === undefined) byBates.set(key(bates), i);
      else into.push({ set, batesNumber: bates, controlNumber: control, message: `Duplicate Bates Number '${bates}' on line ${records.lines[i]} (first seen on line ${records.lines[first]})` });
    }
    if (control !== '') {
      const first = byControl.get(key(control));
      if (first === undefined) byControl.set(key(control), i);
      else into.push({ set, batesNumber: bates, controlNumber: control, message: `Duplicate Control Number '${control}' on line ${records.lines[i]} (first seen on line ${records.lines[first]})` });
    }
  }
}

/** `min - max` of the non-empty Bates of these rows (ordinal string order), or "". */
function range(records: RecordSet, indices: Iterable<number>): string {
  let min: string | undefined;
  let max: string | undefined;
  for (const i of indices) {
    const bates = records.bates[i]!;
    if (bates === '') continue;
    if (min === undefined || bates < min) min = bates;
    if (max === undefined || bates > max) max = bates;
  }
  return min === undefined ? '' : `${min} - ${max}`;
}

function* all(size: number): Generator<number> {
  for (let i = 0; i < size; i++) yield i;
}

interface ParsedBates {
  prefix: string;
  value: number;
  digits: number;
}

/** Prefix + trailing ASCII digits; null without digits or past 2^53 (Zipper: past 2^63). */
export function parseBates(bates: string): ParsedBates | null {
  let at = bates.length;
  while (at > 0 && bates.charCodeAt(at - 1) >= 48 && bates.charCodeAt(at - 1) <= 57) at--;
  if (at === bates.length) return null;
  const value = Number(bates.slice(at));
  if (!Number.isSafeInteger(value)) return null;
  return { prefix: bates.slice(0, at), value, digits: bates.length - at };
}

const formatBates = (prefix: string, value: number, digits: number) => prefix + String(value).padStart(digits, '0');

interface PrefixGroup {
  prefix: string;
  values: number[];
  digits: number[];
}

/** Bates grouped by prefix (any case; the first spelling names the group), in order of first appearance. */
function groupByPrefix(bates: Iterable<string>): Map<string, PrefixGroup> {
  const groups = new Map<string, PrefixGroup>();
  for (const value of bates) {
    const parsed = parseBates(value);
    if (!parsed) continue;
    let group = groups.get(key(parsed.prefix));
    if (!group) groups.set(key(parsed.prefix), (group = { prefix: parsed.prefix, values: [], digits: [] }));
    group.values.push(parsed.value);
    group.digits.push(parsed.digits);
  }
  return groups;
}

/** Holes between the sorted values of each prefix (each hole's digits: those of the number before it). */
function gapsIn(groups: Map<string, PrefixGroup>): BatesSpanReport[] {
  const gaps: BatesSpanReport[] = [];
  for (const group of groups.values()) {
    const order = group.values.map((_, i) => i).sort((a, b) => group.values[a]! - group.values[b]!);
    for (let k = 0; k + 1 < order.length; k++) {
      const current = group.values[order[k]!]!;
      const next = group.values[order[k + 1]!]!;
      if (next > current + 1) gaps.push({ start: formatBates(group.prefix, current + 1, group.digits[order[k]!]!), end: formatBates(group.prefix, next - 1, group.digits[order[k]!]!) });
    }
  }
  return gaps;
}

/** Distinct values merged into runs of consecutive numbers, per prefix (digits: the group's first number's). */
function runsIn(groups: Map<string, PrefixGroup>): BatesSpanReport[] {
  const runs: BatesSpanReport[] = [];
  for (const group of groups.values()) {
    const values = Float64Array.from(new Set(group.values)).sort();
    if (values.length === 0) continue;
    const digits = group.digits[0]!;
    let start = values[0]!;
    let last = start;
    for (let i = 1; i <= values.length; i++) {
      if (i < values.length && values[i] === last + 1) {
        last = values[i]!;
        continue;
      }
      runs.push({ start: formatBates(group.prefix, start, digits), end: formatBates(group.prefix, last, digits) });
      if (i < values.length) start = last = values[i]!;
    }
  }
  return runs;
}

function totalSkipped(gaps: BatesSpanReport[]): number {
  let total = 0;
  for (const gap of gaps) {
    const start = parseBates(gap.start);
    const end = parseBates(gap.end);
    total += start && end && start.prefix === end.prefix ? end.value - start.value + 1 : 1;
  }
  return total;
}

function batesOf(records: RecordSet): string[] {
  return records.bates.filter((bates) => bates !== '');
}

function analyseBates(prior: RecordSet, next: RecordSet, mode: ComparisonMode, priorBates: Map<string, number>): { analysis: BatesAnalysis; skipped: BatesSpanReport[] } {
  const newGroups = groupByPrefix(batesOf(next));
  const skipped = gapsIn(newGroups);
  const gaps = [...skipped];
  if (mode === 'supplemental' && prior.size > 0 && next.size > 0) {
    const priorGroups = groupByPrefix(batesOf(prior));
    for (const [prefixKey, group] of newGroups) {
      const before = priorGroups.get(prefixKey);
      if (!before) continue;
      const maxPrior = before.values.reduce((a, b) => (b > a ? b : a));
      const minNew = group.values.reduce((a, b) => (b < a ? b : a));
      if (minNew > maxPrior + 1) gaps.push({ start: formatBates(group.prefix, maxPrior + 1, group.digits[0]!), end: formatBates(group.prefix, minNew - 1, group.digits[0]!) });
    }
  }
  const overlapping = batesOf(next).filter((bates) => priorBates.has(key(bates)));
  const overlaps = runsIn(groupByPrefix(overlapping));
  const byProduction = new Map<string, { id: string; indices: number[] }>();
  for (let i = 0; i < prior.size; i++) {
    const id = prior.productionIds[prior.production[i]!]!;
    let group = byProduction.get(key(id));
    if (!group) byProduction.set(key(id), (group = { id, indices: [] }));
    group.indices.push(i);
  }
  const priorRangesByProductionSet: Record<string, string> = {};
  for (const { id, indices } of byProduction.values()) if (id !== '') priorRangesByProductionSet[id] = range(prior, indices);
  return {
    analysis: {
      priorRange: range(prior, all(prior.size)),
      newRange: range(next, all(next.size)),
      gaps,
      overlaps,
      totalSkippedBates: totalSkipped(gaps),
      priorRangesByProductionSet,
    },
    skipped,
  };
}

function analyseVolumes(prior: RecordSet, next: RecordSet): VolumeResult[] {
  // New rows by volume, in any case.
  const newVolumes = new Map<string, number[]>();
  for (let i = 0; i < next.size; i++) {
    const volume = key(next.volume(i));
    let list = newVolumes.get(volume);
    if (!list) newVolumes.set(volume, (list = []));
    list.push(i);
  }
  // Prior rows by production, then by volume (first spelling names it).
  const productions = new Map<string, { id: string; volumes: Map<string, { name: string; indices: number[] }> }>();
  const priorVolumeKeys = new Set<string>();
  for (let i = 0; i < prior.size; i++) {
    const id = prior.productionIds[prior.production[i]!]!;
    let production = productions.get(key(id));
    if (!production) productions.set(key(id), (production = { id, volumes: new Map() }));
    const name = prior.volume(i);
    let volume = production.volumes.get(key(name));
    if (!volume) production.volumes.set(key(name), (volume = { name, indices: [] }));
    volume.indices.push(i);
    priorVolumeKeys.add(key(name));
  }
  const results: VolumeResult[] = [];
  for (const production of productions.values()) {
    const volumes = [...production.volumes.values()].sort((a, b) => ordinal(a.name, b.name));
    for (const { name, indices } of volumes) {
      const newList = newVolumes.get(key(name));
      let status: VolumeResult['status'] = 'unchanged';
      if (!newList) status = 'removed';
      else if (newList.length !== indices.length) status = 'changed';
      else {
        // The last prior row of a Bates stands for it, as in Zipper.
        const byBates = new Map<string, number>();
        for (const i of indices) if (prior.bates[i] !== '') byBates.set(key(prior.bates[i]!), i);
        for (const n of newList) {
          const p = byBates.get(key(next.bates[n]!));
          if (p === undefined) continue;
          const hashDiffers = next.hashes[n] !== '' && prior.hashes[p] !== '' && key(next.hashes[n]!) !== key(prior.hashes[p]!);
          if (key(next.paths[n]!) !== key(prior.paths[p]!) || hashDiffers) {
            status = 'changed';
            break;
          }
        }
      }
      results.push({ productionId: production.id, volumeName: name, priorBatesRange: range(prior, indices), newBatesRange: newList ? range(next, newList) : '', status });
    }
  }
  const newOnly = [...newVolumes.entries()].filter(([volumeKey]) => !priorVolumeKeys.has(volumeKey)).map(([, indices]) => ({ name: next.volume(indices[0]!), indices }));
  for (const { name, indices } of newOnly.sort((a, b) => ordinal(a.name, b.name))) {
    results.push({ productionId: next.productionIds[0] ?? 'NewSet', volumeName: name, priorBatesRange: '', newBatesRange: range(next, indices), status: 'added' });
  }
  return results;
}

/**
 * Zipper's manifest comparison of the new set against all the priors (one side, lines numbered per
 * DAT). A pure function of the rows read; `manifests` names the inputs in the report.
 */
export function compareProductions(prior: RecordSet, next: RecordSet, mode: ComparisonMode, manifests: string[]): Comparison {
  const duplicates: DuplicateDetail[] = [];
  const priorByBates = new Map<string, number>();
  const priorByControl = new Map<string, number>();
  findDuplicates(prior, 'prior', priorByBates, priorByControl, duplicates);
  findDuplicates(next, 'new', new Map(), new Map(), duplicates);

  const added: number[] = [];
  const unchanged: number[] = [];
  const changed: number[] = [];
  const replaced: number[] = [];
  // Matched Bates and control values, flagged on the first prior row holding each (the maps' values).
  const batesMatched = new Uint8Array(prior.size);
  const controlMatched = new Uint8Array(prior.size);
  let emptyBatesMatched = false;
  let emptyControlMatched = false;
  const match = (p: number) => {
    const bates = priorByBates.get(key(prior.bates[p]!));
    if (bates === undefined) emptyBatesMatched = true;
    else batesMatched[bates] = 1;
    const control = priorByControl.get(key(prior.control(p)));
    if (control === undefined) emptyControlMatched = true;
    else controlMatched[control] = 1;
  };
  for (let n = 0; n < next.size; n++) {
    const bates = next.bates[n]!;
    const control = next.control(n);
    if (mode === 'supplemental' && (priorByBates.has(key(bates)) || priorByControl.has(key(control)))) {
      duplicates.push({ set: 'new', batesNumber: bates, controlNumber: control, message: `Supplemental overlap: Bates '${bates}' or Control '${control}' matches a prior production set.` });
      added.push(n);
      continue;
    }
    const sameBates = priorByBates.get(key(bates));
    if (sameBates !== undefined) {
      match(sameBates);
      const hashes = [next.hashes[n]!, prior.hashes[sameBates]!];
      const sameHash = hashes[0] === '' || hashes[1] === '' || key(hashes[0]!) === key(hashes[1]!);
      const same = sameHash && key(next.paths[n]!) === key(prior.paths[sameBates]!) && key(control) === key(prior.control(sameBates));
      if (same) unchanged.push(n);
      else changed.push(n, sameBates);
      continue;
    }
    const sameControl = priorByControl.get(key(control));
    if (sameControl !== undefined) {
      match(sameControl);
      replaced.push(n, sameControl);
      continue;
    }
    added.push(n);
  }
  const removed: number[] = [];
  // A supplemental set only adds: it cannot establish removals.
  if (mode !== 'supplemental') {
    for (let p = 0; p < prior.size; p++) {
      const bates = prior.bates[p]!;
      const control = prior.control(p);
      const batesSeen = bates === '' ? emptyBatesMatched : batesMatched[priorByBates.get(key(bates))!] === 1;
      const controlSeen = control === '' ? emptyControlMatched : controlMatched[priorByControl.get(key(control))!] === 1;
      if (!batesSeen && !controlSeen) removed.push(p);
    }
  }
  const { analysis, skipped } = analyseBates(prior, next, mode, priorByBates);
  return {
    comparisonMode: mode,
    manifests,
    summary: {
      totalPriorRecords: prior.size,
      totalNewRecords: next.size,
      addedCount: added.length,
      removedCount: removed.length,
      unchangedCount: unchanged.length,
      changedCount: changed.length / 2,
      replacedCount: replaced.length / 2,
      duplicateCount: duplicates.length,
    },
    batesAnalysis: analysis,
    volumeAnalysis: analyseVolumes(prior, next),
    prior,
    next,
    added,
    removed,
    unchanged,
    changed,
    replaced,
    duplicates,
    skipped,
  };
}

function recordDetail(records: RecordSet, i: number): RecordDetail {
  return { batesNumber: records.bates[i]!, controlNumber: records.control(i), filePath: records.paths[i]!, hash: records.hashes[i]!, volume: records.volume(i) };
}

/** The items of one details list, made one at a time. */
export function* detailItems(comparison: Comparison, list: keyof ComparisonReport['details']): Generator<unknown> {
  const { prior, next } = comparison;
  switch (list) {
    case 'added':
    case 'unchanged':
      for (const n of comparison[list]) yield recordDetail(next, n);
      return;
    case 'removed':
      for (const p of comparison.removed) yield recordDetail(prior, p);
      return;
    case 'changed':
      for (let k = 0; k < comparison.changed.length; k += 2) {
        const n = comparison.changed[k]!;
        const p = comparison.changed[k + 1]!;
        yield { batesNumber: next.bates[n]!, controlNumber: next.control(n), priorPath: prior.paths[p]!, newPath: next.paths[n]!, priorHash: prior.hashes[p]!, newHash: next.hashes[n]! } satisfies ChangedDetail;
      }
      return;
    case 'replaced':
      for (let k = 0; k < comparison.replaced.length; k += 2) {
        const n = comparison.replaced[k]!;
        const p = comparison.replaced[k + 1]!;
        yield { priorBatesNumber: prior.bates[p]!, newBatesNumber: next.bates[n]!, controlNumber: next.control(n) } satisfies ReplacedDetail;
      }
      return;
    case 'duplicates':
      yield* comparison.duplicates;
      return;
    case 'skipped':
      yield* comparison.skipped;
  }
}

export const DETAIL_LISTS = ['added', 'removed', 'unchanged', 'changed', 'replaced', 'duplicates', 'skipped'] as const;

/** The report as JSON text, in Zipper's property order, chunk by chunk (a chunk per ~64 KiB). */
export function* reportJson(comparison: Comparison): Generator<string> {
  const head = {
    comparisonMode: comparison.comparisonMode,
    manifests: comparison.manifests,
    summary: comparison.summary,
    batesAnalysis: comparison.batesAnalysis,
    volumeAnalysis: comparison.volumeAnalysis,
  };
  let buffer = JSON.stringify(head).slice(0, -1) + ',"details":{';
  for (const [l, list] of DETAIL_LISTS.entries()) {
    buffer += `${l > 0 ? ',' : ''}"${list}":[`;
    let first = true;
    for (const item of detailItems(comparison, list)) {
      buffer += (first ? '' : ',') + JSON.stringify(item);
      first = false;
      if (buffer.length >= 65_536) {
        yield buffer;
        buffer = '';
      }
    }
    buffer += ']';
  }
  yield buffer + '}}';
}

/** The whole report as an object. */
export function toReport(comparison: Comparison): ComparisonReport {
  return JSON.parse([...reportJson(comparison)].join('')) as ComparisonReport;
}
