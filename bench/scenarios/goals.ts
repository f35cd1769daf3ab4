/** The SPEC's performance goals ("Performance goals" table; issue 3). */
import { formatInteger, formatMegabytes, formatMilliseconds, MB } from '../lib/format.js';

export const GOALS = {
  pdfDocumentsPerSecond: 100_000,
  paddedBytesPerSecond: 700 * MB,
  peakRssBytesAt10M: 150 * MB,
  ttfbMs: 50,
  loadFileRowsPerSecond: 1_000_000,
  parallelSpeedup: 1.7,
  /** Issue 10, hashes: hashMode actual, md5. */
  hashedPdfDocumentsPerSecond: 80_000,
  hashedPaddedBytesPerSecond: 500 * MB,
  /** Issue 12, production set of 100k PDFs (native + image + text each). */
  productionDocumentsPerSecond: 50_000,
} as const;

export function atLeast(value: number | null | undefined, goal: number): boolean | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value >= goal;
}

export function atMost(value: number | null | undefined, goal: number): boolean | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value <= goal;
}

export function verdict(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'NOT met';
}

/** Goal cell of a table: the bound and whether it was met. */
export function goalCell(bound: string, met: boolean | null): string {
  return `${bound} (${verdict(met)})`;
}

export const GOAL_TEXT = {
  pdfDocumentsPerSecond: `≥ ${formatInteger(GOALS.pdfDocumentsPerSecond)} files/s`,
  paddedBytesPerSecond: `≥ ${formatMegabytes(GOALS.paddedBytesPerSecond)} MB/s`,
  peakRssBytesAt10M: `≤ ${formatMegabytes(GOALS.peakRssBytesAt10M)} MB`,
  ttfbMs: `≤ ${formatMilliseconds(GOALS.ttfbMs)} ms`,
  loadFileRowsPerSecond: `≥ ${formatInteger(GOALS.loadFileRowsPerSecond)} rows/s`,
  parallelSpeedup: `≥ ${GOALS.parallelSpeedup}×`,
  hashedPdfDocumentsPerSecond: `≥ ${formatInteger(GOALS.hashedPdfDocumentsPerSecond)} files/s`,
  hashedPaddedBytesPerSecond: `≥ ${formatMegabytes(GOALS.hashedPaddedBytesPerSecond)} MB/s`,
  productionDocumentsPerSecond: `≥ ${formatInteger(GOALS.productionDocumentsPerSecond)} documents/s`,
} as const;
