/**
 * The answer key: every anomaly of an archive (or of one load file), in archive order, computed from
 * the plan alone — the archive's `<name>_anomalies.json`, `POST /archives/plan`'s `anomalies`, the
 * audit files' chaosMode and `/loadfiles`' X-Zipper-Anomalies all read it.
 */
import { chaosOf } from '../loadfile/writer.js';
import type { ArchivePlan } from '../plan.js';
import type { LoadFileFormat } from '../request.js';
import { LOAD_FILE_SUFFIXES } from '../plan.js';
import { amountLabel } from './catalogue.js';
import { chaosAmount, lineAnomalies, type LineAnomaly } from './loadfile-chaos.js';
import { targetAnomalies } from './document-chaos.js';

export interface Anomaly {
  target: 'loadfile' | 'document' | 'archive';
  /** The file it is in: a load file's name, a document's entry name. */
  file: string;
  /** 1-based line (load files), else null. */
  line: number | null;
  recordId: string;
  column: string;
  type: string;
  description: string;
}

/** One load file's broken lines, in file order, made one at a time. */
export function* loadFileAnomalies(plan: ArchivePlan, format: LoadFileFormat): Generator<LineAnomaly> {
  const chaos = chaosOf(plan, format);
  if (chaos) yield* lineAnomalies(chaos, plan);
}

/** How many lines of a load file are broken (no walk: the selection knows). */
export function loadFileAnomalyCount(plan: ArchivePlan, format: LoadFileFormat): number {
  return chaosOf(plan, format)?.count ?? 0;
}

/** The archive's answer key in archive order — documents first, then each load file — one entry at a time. */
export function* answerKey(plan: ArchivePlan, formats: readonly LoadFileFormat[]): Generator<Anomaly> {
  for (const anomaly of targetAnomalies(plan)) yield { ...anomaly, line: null };
  for (const format of formats) {
    const file = `${plan.request.name}${LOAD_FILE_SUFFIXES[format]}`;
    for (const { line, recordId, column, type, description } of loadFileAnomalies(plan, format)) {
      yield { target: 'loadfile', file, line, recordId, column, type, description };
    }
  }
}

/** `<name>_anomalies.json`'s name. */
export function answerKeyName(plan: ArchivePlan): string {
  return `${plan.request.name}_anomalies.json`;
}

/** Key entries are written in pieces of about this many characters: memory stays flat at any count. */
const KEY_PIECE_CHARS = 64 * 1024;

/**
 * The answer key file, in pieces: the bytes JSON.stringify({anomalies}, null, 2) would give, without
 * ever holding the list.
 */
export function* answerKeyChunks(plan: ArchivePlan, formats: readonly LoadFileFormat[]): Generator<Buffer> {
  let piece = '{\n  "anomalies": [';
  let first = true;
  for (const anomaly of answerKey(plan, formats)) {
    piece += `${first ? '' : ','}\n    ${JSON.stringify(anomaly, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
    if (piece.length >= KEY_PIECE_CHARS) {
      yield Buffer.from(piece, 'utf8');
      piece = '';
    }
  }
  yield Buffer.from(`${piece}${first ? ']' : '\n  ]'}\n}\n`, 'utf8');
}

// Sizing asks for it once per estimate (up to three per request): counted once per request, kept as a number.
const keyBytes = new WeakMap<object, Map<string, number>>();

/** The answer key file's size in bytes (made and counted, not kept; once per request and formats). */
export function answerKeyBytes(plan: ArchivePlan, formats: readonly LoadFileFormat[]): number {
  let byFormats = keyBytes.get(plan.request);
  if (!byFormats) keyBytes.set(plan.request, (byFormats = new Map()));
  const formatsKey = formats.join(',');
  let bytes = byFormats.get(formatsKey);
  if (bytes === undefined) {
    bytes = 0;
    for (const chunk of answerKeyChunks(plan, formats)) bytes += chunk.length;
    byFormats.set(formatsKey, bytes);
  }
  return bytes;
}

/**
 * The audit file's chaosMode section (Zipper's schema) for one load file, with `injectedAnomalies`
 * as a generator: the audit writer streams it.
 */
export function auditChaosMode(plan: ArchivePlan, format: LoadFileFormat): { section: Record<string, unknown>; injected: Generator<Record<string, string>> | null } {
  const chaos = plan.request.chaos;
  if (!chaos) return { section: { enabled: false, totalAnomalies: 0 }, injected: null };
  const total = loadFileAnomalyCount(plan, format);
  const injected = function* () {
    for (const anomaly of loadFileAnomalies(plan, format)) {
      yield {
        lineNumber: anomaly.type === 'encoding' ? `Boundary ${anomaly.line}-${anomaly.line + 1}` : String(anomaly.line),
        recordID: anomaly.recordId,
        column: anomaly.column,
        errorType: anomaly.type,
        description: anomaly.description,
      };
    }
  };
  return {
    section: {
      enabled: true,
      // Omitted when neither an amount nor a scenario was given (as Zipper).
      targetAmount: chaos.amount || chaos.scenario ? amountLabel(chaosAmount(plan)) : undefined,
      totalAnomalies: total,
    },
    injected: total === 0 ? null : injected(),
  };
}
