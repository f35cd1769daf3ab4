/**
 * Every anomaly type and scenario as data: what a type targets (a load file's lines, documents, the
 * archive's entries) and which load-file formats it applies to. The selection, the appliers and
 * the answer key read this table; nothing else names types.
 */
import type { LoadFileFormat } from '../request.js';

export type TargetKind = 'loadfile' | 'document' | 'archive';

interface TypeInfo {
  kind: TargetKind;
  /** Load-file types: the formats whose lines they break. */
  formats?: readonly LoadFileFormat[];
}

const DELIMITED: readonly LoadFileFormat[] = ['dat', 'concordance'];

export const CHAOS_TYPES = {
  // Zipper's DAT types, also for Concordance (the same syntax).
  'mixed-delimiters': { kind: 'loadfile', formats: DELIMITED },
  quotes: { kind: 'loadfile', formats: DELIMITED },
  columns: { kind: 'loadfile', formats: DELIMITED },
  eol: { kind: 'loadfile', formats: DELIMITED },
  encoding: { kind: 'loadfile', formats: DELIMITED },
  // Zipper's OPT types.
  'opt-boundary': { kind: 'loadfile', formats: ['opt'] },
  'opt-columns': { kind: 'loadfile', formats: ['opt'] },
  'opt-pagecount': { kind: 'loadfile', formats: ['opt'] },
  'opt-path': { kind: 'loadfile', formats: ['opt'] },
  'opt-batesnumber': { kind: 'loadfile', formats: ['opt'] },
  // Ours: CSV and EDRM-XML.
  'csv-quotes': { kind: 'loadfile', formats: ['csv'] },
  'csv-columns': { kind: 'loadfile', formats: ['csv'] },
  'xml-unclosed-tag': { kind: 'loadfile', formats: ['edrm-xml'] },
  'xml-bad-entity': { kind: 'loadfile', formats: ['edrm-xml'] },
  // Documents and the archive (no peer has these): only when named.
  'doc-truncated': { kind: 'document' },
  'doc-corrupt': { kind: 'document' },
  'doc-zero-byte': { kind: 'document' },
  'doc-wrong-extension': { kind: 'document' },
  'doc-size-mismatch': { kind: 'document' },
  'doc-missing': { kind: 'document' },
  'doc-extra': { kind: 'document' },
  'zip-duplicate-name': { kind: 'archive' },
} as const satisfies Record<string, TypeInfo>;

export type ChaosType = keyof typeof CHAOS_TYPES;
export const CHAOS_TYPE_NAMES = Object.keys(CHAOS_TYPES) as ChaosType[];

export function typeInfo(type: ChaosType): TypeInfo {
  return CHAOS_TYPES[type];
}

/** Types of one kind of target, in catalogue order. */
export function typesOfKind(kind: TargetKind): ChaosType[] {
  return CHAOS_TYPE_NAMES.filter((type) => typeInfo(type).kind === kind);
}

/** The load-file types that break lines of `format`, in catalogue order. */
export function typesOfFormat(format: LoadFileFormat): ChaosType[] {
  return CHAOS_TYPE_NAMES.filter((type) => (typeInfo(type).formats ?? []).includes(format));
}

export interface Scenario {
  /** Types in dealing order; null: every load-file type of the requested formats. */
  types: readonly ChaosType[] | null;
  /** Default amount, percent. */
  percent: number;
  /** The format it needs among the requested load files, or null for any. */
  format: LoadFileFormat | null;
}

/** Zipper's six scenarios and our two for documents and the archive. */
export const SCENARIOS = {
  'structured-import-failures': { types: ['mixed-delimiters', 'quotes', 'columns'], percent: 3, format: 'dat' },
  'encoding-nightmare': { types: ['encoding', 'mixed-delimiters'], percent: 5, format: 'dat' },
  'broken-boundaries': { types: ['opt-boundary', 'opt-pagecount', 'opt-path'], percent: 8, format: 'opt' },
  'field-overflow': { types: ['eol', 'columns'], percent: 2, format: 'dat' },
  'full-chaos': { types: null, percent: 10, format: null },
  'transfer-encoding-failures': { types: ['mixed-delimiters', 'encoding', 'quotes'], percent: 4, format: 'dat' },
  // Ours.
  'broken-natives': { types: ['doc-truncated', 'doc-corrupt', 'doc-zero-byte', 'doc-wrong-extension'], percent: 2, format: null },
  'inconsistent-delivery': { types: ['doc-size-mismatch', 'doc-missing', 'doc-extra', 'zip-duplicate-name'], percent: 1, format: null },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** An exact count of targets, or a percentage of them (at least one, as Zipper counts). */
export type ChaosAmount = { count: number } | { percent: number };

/** Default amount without one given and without a scenario: 1 %. */
export const DEFAULT_AMOUNT: ChaosAmount = { percent: 1 };

/** How many of `total` targets an amount chooses. */
export function targetCount(amount: ChaosAmount, total: number): number {
  if (total === 0) return 0;
  if ('count' in amount) return Math.min(amount.count, total);
  return Math.max(1, Math.trunc((total * amount.percent) / 100));
}

/** The amount as the audit's `targetAmount` shows it ("10%", "500"). */
export function amountLabel(amount: ChaosAmount): string {
  return 'count' in amount ? String(amount.count) : `${amount.percent}%`;
}
