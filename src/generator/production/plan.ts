/**
 * Production sets: which set, volume, Bates number and paths every document gets.
 *
 * Why a plan of its own: a production is the same documents as an archive (ArchivePlan draws them)
 * laid out differently — one folder per set, NATIVES / IMAGES / TEXT in volumes, every file named by
 * its Bates number. Keeping that layout a pure, random-access function of (request, seed), like
 * ArchivePlan, lets the archive stream, the DAT/OPT, the manifest and the tests agree by
 * construction, and lets the streaming code ask about document i without walking 1 … i−1.
 *
 * Decisions (Zipper's facts, its quirks not copied; see docs/production-design.md):
 * - `count` is per set; rolling set k (1-based) holds documents (k−1)·count+1 … k·count of one
 *   ArchivePlan over count·sets documents, so sets differ in content, and set 1 of a rolling
 *   request is the same as the single set of the same request.
 * - Bates are per document (DOCID = BATES_NUMBER); an attachment that is a document of its own
 *   (withFamilies) is `<parent>_A001` and does not advance the sequence.
 * - Images: one per page, `<BATES>.tif` for a one-page document, `<BATES>_001.tif` … for more; the
 *   DAT's IMAGE_PATH names the first page's file (Zipper names a `<BATES>.tif` that does not exist).
 * - A withheld native (omit-native-path, replace-with-placeholder) is not written under NATIVES
 *   (Zipper writes it anyway, unreferenced); replace-with-placeholder writes a placeholder at the
 *   path the DAT names, with backslashes like every other path (Zipper: forward slashes, no file).
 * - Paths are relative to the set's folder; entries in the archive are `<id>/<path>`.
 */
import { ArchivePlan, EXTENSIONS } from '../plan.js';
import { Rng } from '../random.js';
import type { BatesOptions, ResolvedRequest } from '../request.js';
import type { PlannedDocument } from '../types.js';
import { DEFAULT_VOLUME_SIZE, type BatesMode, type ProductionOptions, type WithheldNativePolicy } from './types.js';

/** Folder names inside a set, as the manifest's `directories` lists them. */
export const DIRECTORIES = { data: 'DATA', natives: 'NATIVES', text: 'TEXT', images: 'IMAGES', redacted: 'REDACTED' } as const;
/** Where a source-driven production with sourcePathMode originals puts its natives (the manifest's directories.originals). */
export const ORIGINALS_DIRECTORY = 'ORIGINALS';
/** Where replace-with-placeholder puts the stand-ins for withheld natives. */
export const PLACEHOLDER_DIRECTORY = 'PLACEHOLDER';
export const MANIFEST_NAME = '_manifest.json';
export const REPORT_NAME = '_validation_report.json';

/** Redaction reasons, by the set-local document position modulo 5 (Zipper's cycle). */
export const REDACTION_REASONS = ['Privileged', 'Attorney Work Product', 'Settlement Communication', 'Trade Secret', 'Personal Privacy'] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

/** Seeded requests are timeless: "now" is 2025-01-01T00:00:00Z, as in Zipper's seeded runs. */
export const SEEDED_NOW = Date.UTC(2025, 0, 1);

/** Own random stream for production-only values (custodian, date created). */
export const PRODUCTION_STREAM = 0x70726f64;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** Why `id` cannot name a set's folder, or null. */
export function productionIdProblem(id: string): string | null {
  if (!ID_PATTERN.test(id)) return 'must be 1–100 letters, digits, underscores or hyphens';
  return null;
}

/**
 * Ids of `count` sets: PRODUCTION_001 … by default; an id ending in digits counts on from them at
 * their width (PROD009 → PROD010; PROD9 → PROD10); any other id gets `_2`, `_3` … after the first.
 */
export function productionIds(id: string | undefined, count: number): string[] {
  const first = id ?? 'PRODUCTION_001';
  const match = /^(.*?)(\d+)$/.exec(first);
  return Array.from({ length: count }, (_, k) => {
    if (k === 0) return first;
    if (!match) return `${first}_${k + 1}`;
    const [, stem, digits] = match as unknown as [string, string, string];
    return stem + (BigInt(digits) + BigInt(k)).toString().padStart(digits.length, '0');
  });
}

/** prefix + number padded to digits; exact past 2^53. */
export function batesText(prefix: string, value: bigint, digits: number): string {
  return prefix + value.toString().padStart(digits, '0');
}

/** A path relative to the set's folder as load files write it: backslashes (as Zipper does). */
export function loadFilePath(path: string): string {
  return path.replaceAll('/', '\\');
}

export interface ProductionSet {
  /** 1-based: the manifest's rollingSequenceNumber. */
  sequence: number;
  id: string;
  /** Global index (into the inner ArchivePlan) of the set's document 1, minus 1. */
  offset: number;
  /** Bates number of the set's document 1, as an integer. */
  batesStart: bigint;
  first: string;
  last: string;
}

/** One DAT row: a document of a set (or the attachment of one, withFamilies), with its production names. */
export interface ProductionRecord {
  set: ProductionSet;
  doc: PlannedDocument;
  /** 1-based position of the (parent) document in its set. */
  position: number;
  /** DOCID = BATES_NUMBER; `<parent>_A001` for an attachment. */
  bates: string;
  /** The parent's Bates for an attachment, else null. */
  parentBates: string | null;
  /** The family's last id (the attachment) on both rows of a family, else null. */
  familyEnd: string | null;
  volume: string;
  extension: string;
  /** The native written under NATIVES, or null when withheld. */
  nativeFile: string | null;
  /** NATIVE_PATH: the native, the placeholder, or '' (omit-native-path). */
  nativeReference: string;
  /** replace-with-placeholder: the stand-in written at nativeReference. */
  placeholderFile: string | null;
  textFile: string;
  /** One per page. */
  imageFiles: string[];
  /** Redacted: one multipage TIFF of every page at REDACTED/IMAGES/VOLnnn/<BATES>.tif, the path Zipper's REDACTED_IMAGE_PATH names. */
  redactedImageFile: string | null;
  redactedTextFile: string | null;
  nativeWithheld: boolean;
  redactionReason: RedactionReason | null;
  custodian: string;
  /** yyyy-MM-dd. */
  dateCreated: string;
}

/** What the OPT needs of a DAT row: its id, volume and pages. */
export interface ImagedRow {
  id: string;
  volume: string;
  pages: number;
}

export type EntryKind = 'native' | 'placeholder' | 'image' | 'text' | 'redacted-image' | 'redacted-text';

/** A file the archive holds for a record, relative to the set's folder. */
export interface ProductionEntry {
  kind: EntryKind;
  path: string;
  /** 1-based page of an image, else 0. */
  page: number;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

/** DATE_CREATED lies 1–729 days before SEEDED_NOW: the 729 dates, formatted once (a Date per row showed in profiles). */
const CREATED_DAYS = Array.from({ length: 729 }, (_, k) => new Date(SEEDED_NOW - (k + 1) * 86_400_000).toISOString().slice(0, 10));

export class ProductionPlan {
  readonly request: ResolvedRequest;
  readonly options: ProductionOptions;
  readonly bates: BatesOptions;
  /** The documents: count × sets of them, set k holding its own slice. */
  readonly archive: ArchivePlan;
  readonly sets: ProductionSet[];
  readonly batesMode: BatesMode;
  readonly volumeSize: number;
  readonly policy: WithheldNativePolicy | null;

  constructor(request: ResolvedRequest) {
    const options = request.production;
    if (!options) throw new Error('ProductionPlan: the request asks for no production');
    if (!request.bates) throw new Error('ProductionPlan: a production needs bates.prefix');
    this.request = request;
    this.options = options;
    this.bates = request.bates;
    this.volumeSize = options.volumeSize ?? DEFAULT_VOLUME_SIZE;
    this.batesMode = options.rolling?.batesMode ?? 'continuous';
    this.policy = options.redacted?.withheldNativePolicy ?? null;
    const setCount = options.rolling?.count ?? 1;
    this.archive = new ArchivePlan({ ...request, count: request.count * setCount });
    const count = BigInt(request.count);
    this.sets = productionIds(options.id, setCount).map((id, k) => {
      const batesStart = BigInt(this.bates.start) + (this.batesMode === 'continuous' ? BigInt(k) * count : 0n);
      return {
        sequence: k + 1,
        id,
        offset: k * request.count,
        batesStart,
        first: batesText(this.bates.prefix, batesStart, this.bates.digits),
        last: batesText(this.bates.prefix, batesStart + count - 1n, this.bates.digits),
      };
    });
  }

  /** Parent documents per set. */
  get count(): number {
    return this.request.count;
  }

  get redacted(): boolean {
    return this.policy !== null;
  }

  /** Volumes of a set: ceil(count / volumeSize). */
  get volumeCount(): number {
    return Math.ceil(this.count / this.volumeSize);
  }

  /** Load files of a set, relative to its folder. */
  get loadFiles(): { dat: string; opt: string } {
    return { dat: `${DIRECTORIES.data}/${this.request.name}.dat`, opt: `${DIRECTORIES.data}/${this.request.name}.opt` };
  }

  /** 1-based volume of the set's document at `position` (attachments: their parent's). */
  volumeOf(position: number): number {
    return Math.floor((position - 1) / this.volumeSize) + 1;
  }

  volumeName(volume: number): string {
    return `VOL${pad3(volume)}`;
  }

  /** The set (1-based sequence) and position in it of a global document index. */
  locate(globalIndex: number): { set: ProductionSet; position: number } {
    const k = Math.floor((globalIndex - 1) / this.count);
    return { set: this.sets[k]!, position: globalIndex - k * this.count };
  }

  batesOf(set: ProductionSet, position: number): string {
    return batesText(this.bates.prefix, set.batesStart + BigInt(position - 1), this.bates.digits);
  }

  /** Why the last set's last Bates number would not fit `digits`, or null. */
  batesOverflow(): string | null {
    const largest = 10n ** BigInt(this.bates.digits) - 1n;
    const last = this.sets.reduce((max, set) => (set.batesStart + BigInt(this.count) - 1n > max ? set.batesStart + BigInt(this.count) - 1n : max), 0n);
    if (last <= largest) return null;
    return `${this.bates.digits} digits hold Bates numbers up to ${largest}, but this production numbers documents up to ${last}: use digits ≥ ${last.toString().length}`;
  }

  /** The set's document at `position` and, with withFamilies, its attachment: one record per DAT row. */
  records(set: ProductionSet, position: number): ProductionRecord[] {
    const family = this.archive.family(set.offset + position);
    const bates = this.batesOf(set, position);
    const volume = this.volumeName(this.volumeOf(position));
    const rng = new Rng(this.request.seed, PRODUCTION_STREAM, set.offset + position);
    const custodian = `Custodian ${1 + rng.below(Math.max(1, this.request.custodianCount ?? 10))}`;
    const dateCreated = CREATED_DAYS[rng.below(CREATED_DAYS.length)]!;
    const reason = this.redacted ? REDACTION_REASONS[(position - 1) % REDACTION_REASONS.length]! : null;
    const childId = family.length > 1 ? `${bates}_A001` : null;
    return family.map((doc, n) => {
      const id = n === 0 ? bates : childId!;
      return this.record(set, position, doc, id, n === 0 ? null : bates, childId, volume, reason, custodian, dateCreated);
    });
  }

  /**
   * The OPT's view of records(set, position): ids, volume and pages, without drawing a document's
   * metadata unless its pages are drawn (TIFFs with tiffPages); the same values as the records'.
   */
  imagedRows(set: ProductionSet, position: number): ImagedRow[] {
    const index = set.offset + position;
    const { archive } = this;
    const type = archive.typeOf(index);
    const bates = this.batesOf(set, position);
    const volume = this.volumeName(this.volumeOf(position));
    const pages = type === 'tiff' && this.request.tiffPages ? archive.document(index).pageCount : 1;
    const rows: ImagedRow[] = [{ id: bates, volume, pages }];
    // An attachment (withFamilies) is a one-page PDF (ArchivePlan.family).
    if (this.request.withFamilies && archive.hasAttachment(index, type)) rows.push({ id: `${bates}_A001`, volume, pages: 1 });
    return rows;
  }

  private record(
    set: ProductionSet,
    position: number,
    doc: PlannedDocument,
    id: string,
    parentBates: string | null,
    familyEnd: string | null,
    volume: string,
    reason: RedactionReason | null,
    custodian: string,
    dateCreated: string,
  ): ProductionRecord {
    const extension = EXTENSIONS[doc.type];
    const native = this.nativePath(doc, volume, id, extension);
    const pages = doc.pageCount;
    const images = pages === 1 ? [`${DIRECTORIES.images}/${volume}/${id}.tif`] : Array.from({ length: pages }, (_, p) => `${DIRECTORIES.images}/${volume}/${id}_${pad3(p + 1)}.tif`);
    const withheld = this.policy === 'omit-native-path' || this.policy === 'replace-with-placeholder';
    const placeholder = this.policy === 'replace-with-placeholder' ? `${PLACEHOLDER_DIRECTORY}/${volume}/${id}.${extension}` : null;
    return {
      set,
      doc,
      position,
      bates: id,
      parentBates,
      familyEnd,
      volume,
      extension,
      nativeFile: withheld ? null : native,
      nativeReference: placeholder ?? (withheld ? '' : native),
      placeholderFile: placeholder,
      textFile: `${DIRECTORIES.text}/${volume}/${id}.txt`,
      imageFiles: images,
      redactedImageFile: this.redacted ? `${DIRECTORIES.redacted}/${DIRECTORIES.images}/${volume}/${id}.tif` : null,
      redactedTextFile: this.redacted && this.request.withText ? `${DIRECTORIES.redacted}/${DIRECTORIES.text}/${volume}/${id}.txt` : null,
      nativeWithheld: withheld,
      redactionReason: reason,
      custodian,
      dateCreated,
    };
  }

  /**
   * Where a record's native goes: `NATIVES/VOLnnn/<id>.<ext>`; a source-driven production by its
   * sourcePathMode (preserve: under the source's folders in the volume; originals: the source path
   * itself under ORIGINALS/, with the source's name).
   */
  private nativePath(doc: PlannedDocument, volume: string, id: string, extension: string): string {
    const source = doc.source?.path;
    const mode = this.options.sourcePathMode ?? 'bates';
    if (!source || mode === 'bates') return `${DIRECTORIES.natives}/${volume}/${id}.${extension}`;
    if (mode === 'originals') return `${ORIGINALS_DIRECTORY}/${source}`;
    const folders = source.slice(0, source.lastIndexOf('/') + 1);
    return `${DIRECTORIES.natives}/${volume}/${folders}${id}.${extension}`;
  }

  /** The files a record puts in the archive, in streaming order: native (or placeholder), images, text, redacted copies. */
  entries(record: ProductionRecord): ProductionEntry[] {
    const entries: ProductionEntry[] = [];
    if (record.nativeFile) entries.push({ kind: 'native', path: record.nativeFile, page: 0 });
    if (record.placeholderFile) entries.push({ kind: 'placeholder', path: record.placeholderFile, page: 0 });
    record.imageFiles.forEach((path, p) => entries.push({ kind: 'image', path, page: p + 1 }));
    entries.push({ kind: 'text', path: record.textFile, page: 0 });
    if (record.redactedImageFile) entries.push({ kind: 'redacted-image', path: record.redactedImageFile, page: 0 });
    if (record.redactedTextFile) entries.push({ kind: 'redacted-text', path: record.redactedTextFile, page: 0 });
    return entries;
  }

  /** Archive entry name of a path in a set. */
  entryName(set: ProductionSet, path: string): string {
    return `${set.id}/${path}`;
  }

  /** Every record of a set, in order. O(count): for tests, counters and small sets. */
  *setRecords(set: ProductionSet): Generator<ProductionRecord> {
    for (let position = 1; position <= this.count; position++) yield* this.records(set, position);
  }
}
