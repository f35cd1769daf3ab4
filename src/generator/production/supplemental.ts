/**
 * Supplemental productions: the planned Bates ranges against the ranges prior productions'
 * manifests declare, before the first byte (the route answers 400 with these problems).
 *
 * Zipper's rules (notes §2.8): a prior's `batesRange` must be complete, with this production's
 * prefix and digits and start ≤ end; any overlap with a prior is a duplicate; a hole between the
 * merged ranges (priors and plan, adjacent when start ≤ previous end + 1) is a gap, an error unless
 * `gapPolicy: allow`, which records it in the manifest. Like Zipper we do not move the plan's start
 * past the priors: the client says `bates.start`; `expectedNextBates` tells it what that should be.
 * Ours beyond Zipper: every rolling set's range is checked (in restart mode sets overlap each other,
 * which is a duplicate too), and numbers are BigInt, exact at any digits.
 */
import { batesText, type ProductionPlan } from './plan.js';
import type { PriorBatesRange } from './types.js';
import { isJsonObject } from '../json-object.js';

export type SupplementalProblemCode = 'malformed' | 'incompatible-prefix' | 'incompatible-digits' | 'unparseable' | 'invalid-range' | 'duplicate' | 'gap';

export interface SupplementalProblem {
  code: SupplementalProblemCode;
  /** 0-based index into priorManifests, or null for duplicates and gaps. */
  manifest: number | null;
  message: string;
}

export interface BatesSpan {
  start: string;
  end: string;
}

/** The manifest's `supplementalValidation`, property order as Zipper writes it. */
export interface SupplementalValidation {
  duplicateRanges: BatesSpan[];
  skippedRanges: BatesSpan[];
  expectedNextBates: string;
  actualStartingBates: string;
}

export interface SupplementalCheck {
  /** Empty: the production may go ahead. */
  problems: SupplementalProblem[];
  /** What the manifests of this production record; null when no prior could be read. */
  validation: SupplementalValidation | null;
}

interface Span {
  start: bigint;
  end: bigint;
}

/** A prior manifest's batesRange, or why it cannot be read. */
export function priorRange(manifest: unknown): PriorBatesRange | string {
  if (!isJsonObject(manifest)) return 'is not a JSON object';
  const range = manifest.batesRange;
  if (!isJsonObject(range)) return 'has no batesRange';
  const { start, end, prefix, digits } = range;
  if (typeof start !== 'string' || typeof end !== 'string' || typeof prefix !== 'string' || typeof digits !== 'number' || !Number.isInteger(digits)) {
    return 'is missing batesRange start, end, prefix or digits';
  }
  return { start, end, prefix, digits };
}

function numberOf(bates: string, prefix: string): bigint | null {
  if (!bates.startsWith(prefix)) return null;
  const digits = bates.slice(prefix.length);
  return /^\d{1,30}$/.test(digits) ? BigInt(digits) : null;
}

function overlap(a: Span, b: Span): Span | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start <= end ? { start, end } : null;
}

/** Checks the plan's sets against `production.supplemental.priorManifests`. Pure. */
export function checkSupplemental(plan: ProductionPlan): SupplementalCheck {
  const supplemental = plan.options.supplemental;
  if (!supplemental) return { problems: [], validation: null };
  const { prefix, digits } = plan.bates;
  const text = (value: bigint) => batesText(prefix, value, digits);
  const spanText = (span: Span) => ({ start: text(span.start), end: text(span.end) });
  const quoted = (spans: Span[]) => spans.map((span) => `'${text(span.start)}-${text(span.end)}'`).join(', ');
  const problems: SupplementalProblem[] = [];
  const priors: Span[] = [];
  supplemental.priorManifests.forEach((manifest, index) => {
    const name = `priorManifests[${index}]`;
    const range = priorRange(manifest);
    if (typeof range === 'string') return problems.push({ code: 'malformed', manifest: index, message: `${name} ${range}` });
    if (range.prefix !== prefix) {
      return problems.push({ code: 'incompatible-prefix', manifest: index, message: `${name} has Bates prefix '${range.prefix}', this production '${prefix}'` });
    }
    if (range.digits !== digits) {
      return problems.push({ code: 'incompatible-digits', manifest: index, message: `${name} has ${range.digits} Bates digits, this production ${digits}` });
    }
    const start = numberOf(range.start, prefix);
    const end = numberOf(range.end, prefix);
    if (start === null || end === null) {
      return problems.push({ code: 'unparseable', manifest: index, message: `${name} has an unparseable Bates start or end ('${range.start}', '${range.end}')` });
    }
    if (start > end) return problems.push({ code: 'invalid-range', manifest: index, message: `${name} has an invalid Bates range: '${range.start}' is after '${range.end}'` });
    priors.push({ start, end });
    return undefined;
  });
  if (priors.length === 0) return { problems, validation: null };

  const planned: Span[] = plan.sets.map((set) => ({ start: set.batesStart, end: set.batesStart + BigInt(plan.count) - 1n }));
  const duplicates: Span[] = [];
  for (const [k, span] of planned.entries()) {
    for (const prior of priors) {
      const common = overlap(span, prior);
      if (common) duplicates.push(common);
    }
    for (const other of planned.slice(k + 1)) {
      const common = overlap(span, other);
      if (common) duplicates.push(common);
    }
  }
  const merged = [...priors, ...planned].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const gaps: Span[] = [];
  let lastEnd = merged[0]!.end;
  for (const span of merged.slice(1)) {
    if (span.start > lastEnd + 1n) gaps.push({ start: lastEnd + 1n, end: span.start - 1n });
    if (span.end > lastEnd) lastEnd = span.end;
  }
  if (duplicates.length > 0) problems.push({ code: 'duplicate', manifest: null, message: `Duplicate Bates numbers in ranges: ${quoted(duplicates)}` });
  if (gaps.length > 0 && supplemental.gapPolicy === 'reject') {
    problems.push({ code: 'gap', manifest: null, message: `Skipped Bates numbers in ranges: ${quoted(gaps)} (gapPolicy 'allow' records them instead)` });
  }
  const maxPriorEnd = priors.reduce((max, span) => (span.end > max ? span.end : max), priors[0]!.end);
  return {
    problems,
    validation: {
      duplicateRanges: duplicates.map(spanText),
      skippedRanges: gaps.map(spanText),
      expectedNextBates: text(maxPriorEnd + 1n),
      actualStartingBates: plan.sets[0]!.first,
    },
  };
}
