/**
 * Which folder document i lands in, exactly as Zipper computes it (SPEC "Archive layout").
 */

export const DISTRIBUTIONS = ['proportional', 'gaussian', 'exponential'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

// Acklam's rational approximation of the inverse normal CDF.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;
const P_HIGH = 1 - P_LOW;

export function inverseNormalCdf(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > P_HIGH) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** Round half to even, as .NET's Math.Round does by default. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * Folder (1 … folders) of document `index` (1 … count), as Zipper's FileDistributionHelper computes it:
 * p = (i − 1)/max(N − 1, 1). (SPEC's first example, 21 … 4 for 500/7 gaussian, was computed with
 * i/max(N − 1, 1); SPEC now gives 22, 76, 152, 152, 76, 19, 3.)
 */
export function folderOf(distribution: Distribution, index: number, count: number, folders: number): number {
  if (folders === 1) return 1;
  if (distribution === 'proportional') return ((index - 1) % folders) + 1;
  const p = clamp((index - 1) / Math.max(count - 1, 1), 0.001, 0.999);
  const folder =
    distribution === 'gaussian'
      ? roundHalfEven(folders / 2 + (folders / 6) * inverseNormalCdf(p))
      : Math.ceil(-Math.log(1 - p) / (3 / folders));
  return clamp(folder, 1, folders);
}

/** Documents per folder (index 0 = folder 1). O(count): for plans and tests, not the hot path. */
export function folderCounts(distribution: Distribution, count: number, folders: number): number[] {
  const counts = new Array<number>(folders).fill(0);
  if (distribution === 'proportional') {
    for (let f = 0; f < folders; f++) counts[f] = Math.floor(count / folders) + (f < count % folders ? 1 : 0);
    return counts;
  }
  for (let i = 1; i <= count; i++) {
    const f = folderOf(distribution, i, count, folders) - 1;
    counts[f] = (counts[f] as number) + 1;
  }
  return counts;
}
