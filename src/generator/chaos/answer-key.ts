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

// Keyed by the request: a plan and the same plan with padding (sizing's) share it.
const keys = new WeakMap<object, Map<LoadFileFormat, LineAnomaly[]>>();

/** One load file's broken lines, in file order (computed once per plan). */
export function loadFileAnomalies(plan: ArchivePlan, format: LoadFileFormat): LineAnomaly[] {
  let byFormat = keys.get(plan.request);
  if (!byFormat) keys.set(plan.request, (byFormat = new Map()));
  let anomalies = byFormat.get(format);
  if (!anomalies) {
    const chaos = chaosOf(plan, format);
    anomalies = chaos ? lineAnomalies(chaos, plan) : [];
    byFormat.set(format, anomalies);
  }
  return anomalies;
}

/** The archive's answer key: each requested load file's anomalies, in the order the load files are written. */
export function answerKey(plan: ArchivePlan, formats: readonly LoadFileFormat[]): Anomaly[] {
  // Documents come first in the archive, the load files after them.
  const targets: Anomaly[] = targetAnomalies(plan).map((anomaly) => ({ ...anomaly, line: null }));
  return targets.concat(formats.flatMap((format) =>
    loadFileAnomalies(plan, format).map(({ line, recordId, column, type, description }) => ({
      target: 'loadfile' as const,
      file: `${plan.request.name}${LOAD_FILE_SUFFIXES[format]}`,
      line,
      recordId,
      column,
      type,
      description,
    })),
  ));
}

/** `<name>_anomalies.json`'s name. */
export function answerKeyName(plan: ArchivePlan): string {
  return `${plan.request.name}_anomalies.json`;
}

/** The answer key file's bytes. */
export function answerKeyFile(plan: ArchivePlan, formats: readonly LoadFileFormat[]): Buffer {
  return Buffer.from(`${JSON.stringify({ anomalies: answerKey(plan, formats) }, null, 2)}\n`, 'utf8');
}

/** The audit file's chaosMode section (Zipper's schema) for one load file. */
export function auditChaosMode(plan: ArchivePlan, format: LoadFileFormat): Record<string, unknown> {
  const chaos = plan.request.chaos;
  if (!chaos) return { enabled: false, totalAnomalies: 0 };
  const anomalies = loadFileAnomalies(plan, format);
  const amount = chaos.amount;
  return {
    enabled: true,
    // Omitted when neither an amount nor a scenario was given (as Zipper).
    targetAmount: amount ? amountLabel(amount) : chaos.scenario ? amountLabel(chaosAmount(plan)) : undefined,
    totalAnomalies: anomalies.length,
    injectedAnomalies:
      anomalies.length === 0
        ? undefined
        : anomalies.map((anomaly) => ({
            lineNumber: anomaly.type === 'encoding' ? `Boundary ${anomaly.line}-${anomaly.line + 1}` : String(anomaly.line),
            recordID: anomaly.recordId,
            column: anomaly.column,
            errorType: anomaly.type,
            description: anomaly.description,
          })),
  };
}
