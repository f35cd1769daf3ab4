/** Number formatting for the tables. MB is 10^6 bytes everywhere (goals are written in MB). */

export const MB = 1_000_000;

/** Placeholder for a figure that was not measured or does not apply. */
export const NOT_APPLICABLE = '—';

export function formatInteger(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_APPLICABLE;
  return Math.round(value).toLocaleString('en-US');
}

export function formatMegabytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return NOT_APPLICABLE;
  const megabytes = bytes / MB;
  return megabytes >= 100 ? megabytes.toFixed(0) : megabytes.toFixed(1);
}

export function formatMilliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NOT_APPLICABLE;
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return NOT_APPLICABLE;
  return seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1);
}

/** `a / b` as "1.23×"; a dash when either side is missing. */
export function formatRatio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined) return NOT_APPLICABLE;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NOT_APPLICABLE;
  const ratio = a / b;
  // Small ratios keep two significant digits (0.0029×), not a misleading 0.00×.
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio >= 0.1 || ratio === 0 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
