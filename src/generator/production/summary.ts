/**
 * A production's part of POST /archives/plan: its sets, Bates ranges, volumes and load files from
 * the ProductionPlan, and file counts from `plannedCounts` when the production is small enough to
 * walk (≈ 2 µs a document): the route must answer quickly at any count.
 */
import { plannedCounts, type ProductionCounts } from './manifest.js';
import { productionColumns } from './columns.js';
import { MANIFEST_NAME, REPORT_NAME, type EntryKind, type ProductionPlan, type ProductionSet } from './plan.js';
import { checkSupplemental, type SupplementalValidation } from './supplemental.js';
import type { BatesMode, WithheldNativePolicy } from './types.js';

/** Above this many documents (all sets), per-set counts are not walked: null in the summary. */
export const PLAN_COUNT_LIMIT = 100_000;

export interface ProductionSetSummary {
  sequence: number;
  id: string;
  batesRange: { start: string; end: string; prefix: string; digits: number };
  /** Parent documents (the request's count). */
  documents: number;
  volumes: Array<{ name: string; documents: number }>;
  /** DAT rows (parents and attachments), OPT lines, files by kind, and every entry of the set's folder; null when not counted. */
  rows: number | null;
  optLines: number | null;
  files: Record<EntryKind, number> | null;
  entries: number | null;
}

export interface ProductionSummary {
  volumeSize: number;
  batesMode: BatesMode;
  withheldNativePolicy: WithheldNativePolicy | null;
  /** Per set folder: the DAT and OPT paths, and the DAT's header columns. */
  loadFiles: { dat: string; opt: string; columns: string[] };
  sidecars: { manifest: string; report: string };
  sets: ProductionSetSummary[];
  /** Entries of the whole archive; null when not counted (over PLAN_COUNT_LIMIT documents). */
  entries: number | null;
  supplemental: SupplementalValidation | null;
}

/** Files of a set's folder besides its documents' files: DAT, OPT, manifest, report. */
const SET_FILES = 4;

function entriesOf(counts: ProductionCounts): number {
  return Object.values(counts.files).reduce((sum, n) => sum + n, 0) + SET_FILES;
}

function volumes(plan: ProductionPlan): Array<{ name: string; documents: number }> {
  return Array.from({ length: plan.volumeCount }, (_, k) => ({
    name: plan.volumeName(k + 1),
    documents: Math.min(plan.volumeSize, plan.count - k * plan.volumeSize),
  }));
}

function setSummary(plan: ProductionPlan, set: ProductionSet, counted: boolean): ProductionSetSummary {
  const counts = counted ? plannedCounts(plan, set) : null;
  return {
    sequence: set.sequence,
    id: set.id,
    batesRange: { start: set.first, end: set.last, prefix: plan.bates.prefix, digits: plan.bates.digits },
    documents: plan.count,
    volumes: volumes(plan),
    rows: counts?.rows ?? null,
    optLines: counts?.optLines ?? null,
    files: counts?.files ?? null,
    entries: counts ? entriesOf(counts) : null,
  };
}

export function summarizeProduction(plan: ProductionPlan): ProductionSummary {
  const counted = plan.count * plan.sets.length <= PLAN_COUNT_LIMIT;
  const sets = plan.sets.map((set) => setSummary(plan, set, counted));
  return {
    volumeSize: plan.volumeSize,
    batesMode: plan.batesMode,
    withheldNativePolicy: plan.policy,
    loadFiles: { ...plan.loadFiles, columns: productionColumns(plan).map((column) => column.name) },
    sidecars: { manifest: MANIFEST_NAME, report: REPORT_NAME },
    sets,
    entries: counted ? sets.reduce((sum, set) => sum + set.entries!, 0) : null,
    supplemental: checkSupplemental(plan).validation,
  };
}
