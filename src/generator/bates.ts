import type { ArchivePlan } from './plan.js';

export interface BatesSettings {
  prefix: string;
  start: number;
  digits: number;
}

/** Bates numbers: prefix + (start + page offset), zero-padded to `digits`; exact past 2^53. */
export class BatesSequence {
  constructor(private readonly settings: BatesSettings) {}

  /** The number `offset` pages after the first. */
  number(offset: number): string {
    const { prefix, start, digits } = this.settings;
    const value = start + offset;
    // Past 2^53 a double skips integers (start 2^53 − 1 + 2 would repeat 2^53): add as BigInt there.
    const text = Number.isSafeInteger(value) ? String(value) : (BigInt(start) + BigInt(offset)).toString();
    return prefix + text.padStart(digits, '0');
  }
}

/** The Bates numbers of one document's pages, `pages` of them from `offset`. */
export class BatesRange {
  readonly first: string;
  readonly last: string;

  /**
   * `given`: a source record's own Bates number, which numbers the document's first page; its
   * other pages are `<given>_0002` … (as page keys without Bates are). The sequence still counts
   * its pages, so the numbers of the documents after it do not depend on it.
   */
  constructor(
    private readonly sequence: BatesSequence,
    private readonly offset: number,
    pages: number,
    private readonly given: string | null = null,
  ) {
    this.first = given ?? sequence.number(offset);
    this.last = pages === 1 ? this.first : this.page(pages - 1);
  }

  /** The number of the document's page `page` (0-based). */
  page(page: number): string {
    if (page === 0) return this.first;
    if (this.given !== null) return `${this.given}_${String(page + 1).padStart(4, '0')}`;
    return this.sequence.number(this.offset + page);
  }
}

/**
 * Why the request's Bates numbers would not fit `digits`, or null when they do: the last number is
 * start + pages − 1, and a wider one would break the fixed width loaders expect (we refuse rather
 * than widen). Bounds from the type counts decide almost every request at once; only one whose
 * bounds straddle the limit counts its pages document by document.
 */
export function batesOverflow(plan: ArchivePlan): string | null {
  const bates = plan.request.bates;
  if (!bates) return null;
  const largest = 10n ** BigInt(bates.digits) - 1n;
  const lastWith = (pages: number) => BigInt(bates.start) + BigInt(pages) - 1n;
  const tiffs = plan.typeCounts.get('tiff') ?? 0;
  const tiffPages = plan.request.tiffPages ?? { min: 1, max: 1 };
  const emails = plan.request.withFamilies ? (plan.typeCounts.get('eml') ?? 0) : 0;
  const fewest = plan.count + tiffs * (tiffPages.min - 1);
  const most = plan.count + emails + tiffs * (tiffPages.max - 1);
  if (lastWith(most) <= largest) return null;
  const pages = lastWith(fewest) > largest ? fewest : countPages(plan);
  const last = lastWith(pages);
  if (last <= largest) return null;
  return `${bates.digits} digits hold Bates numbers up to ${largest}, but this request numbers ${pages} pages from ${bates.start} to ${last}: use digits ≥ ${last.toString().length}`;
}

function countPages(plan: ArchivePlan): number {
  let pages = 0;
  for (let index = 1; index <= plan.count; index++) for (const doc of plan.family(index)) pages += doc.pageCount;
  return pages;
}
