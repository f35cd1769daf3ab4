import { folderCounts, folderOf } from './distribution.js';
import { person, sentDate, subject } from './metadata.js';
import { Rng, Stream } from './random.js';
import type { DocumentNames, FileType, PlannedDocument } from './types.js';
import { requestedLoadFileFormats, requestedTypes, type LoadFileFormat, type ResolvedRequest } from './request.js';
import { TypeAssignment } from './file-types.js';
import { auditFileName } from './loadfile/audit.js';
import { sourceReader, type SourceRecord } from './sources/table.js';

/** File-name extension of each document type. */
export const EXTENSIONS: Record<FileType, string> = { pdf: 'pdf', jpg: 'jpg', tiff: 'tiff', eml: 'eml', docx: 'docx', xlsx: 'xlsx' };

/** File name of each load-file format, after the request's `name`. */
export const LOAD_FILE_SUFFIXES: Record<LoadFileFormat, string> = {
  dat: '.dat',
  opt: '.opt',
  csv: '.csv',
  'edrm-xml': '.xml',
  concordance: '.concordance.dat',
};

export interface PlannedLoadFile {
  format: LoadFileFormat;
  name: string;
  /** Its audit file beside it (withAudit), or null. */
  auditName: string | null;
}

/** How padding for `targetSize` is spread: every document gets `base`, the first `remainder` one byte more. */
export interface PaddingSplit {
  base: number;
  remainder: number;
}

export const NO_PADDING: PaddingSplit = { base: 0, remainder: 0 };

/**
 * The heart of the service: request + seed → document i's folder, names and metadata.
 * Pure and random-access, so the archive, the load file and the tests agree by construction.
 */
export class ArchivePlan {
  readonly request: ResolvedRequest;
  /** Digits of the index in names and control numbers: 8, wider when the count needs it. */
  readonly indexWidth: number;
  readonly padding: PaddingSplit;
  /** Attachment rate as a fraction, and the seeded phase that spreads attachments through the archive. */
  private readonly attachmentShare: number;
  private readonly attachmentPhase: number;
  private readonly types: TypeAssignment;
  private readonly custodians: string[] = [];
  /** A source-driven set's table (request.sources), read record by record. */
  private readonly sources: ResolvedRequest['sources'];

  constructor(request: ResolvedRequest, padding: PaddingSplit = NO_PADDING) {
    this.request = request;
    this.padding = padding;
    this.indexWidth = Math.max(8, String(request.count).length);
    this.attachmentShare = request.attachmentRate / 100;
    this.attachmentPhase = new Rng(request.seed, Stream.placement, 0).float();
    const weights = request.fileTypes ?? { [requestedTypes(request)[0]!]: 1 };
    this.types = new TypeAssignment(request.count, weights, request.seed, Stream.types);
    this.sources = request.sources;
  }

  /** Source record of document i (a source-driven set), else null. */
  sourceOf(index: number): SourceRecord | null {
    return this.sources ? sourceReader(this.sources).read(index - 1) : null;
  }

  /** Documents per type, in FILE_TYPES order. */
  get typeCounts(): Map<FileType, number> {
    return this.types.counts;
  }

  typeOf(index: number): FileType {
    if (this.sources) return this.sourceOf(index)!.type;
    return this.types.typeOf(index);
  }

  /** The load files this request puts at the archive root, in the order asked. */
  get loadFiles(): PlannedLoadFile[] {
    if (!this.request.includeLoadFile) return [];
    return requestedLoadFileFormats(this.request).map((format) => {
      const name = `${this.request.name}${LOAD_FILE_SUFFIXES[format]}`;
      return { format, name, auditName: this.request.withAudit || this.request.chaos ? auditFileName(name) : null };
    });
  }

  get count(): number {
    return this.request.count;
  }

  get archiveFileName(): string {
    return `${this.request.name}.${this.request.format}`;
  }

  /** Same plan with documents padded as given (sizing decides the split). */
  withPadding(padding: PaddingSplit): ArchivePlan {
    return new ArchivePlan(this.request, padding);
  }

  paddingOf(index: number): number {
    return this.padding.base + (index <= this.padding.remainder ? 1 : 0);
  }

  folderOf(index: number): number {
    // A source-driven set has no folders of ours: its paths are the records'.
    if (this.sources) return 1;
    const { distribution, count, folders } = this.request;
    return folderOf(distribution, index, count, folders);
  }

  folderCounts(): number[] {
    const { distribution, count, folders } = this.request;
    return folderCounts(distribution, count, folders);
  }

  /**
   * Whether email i carries an attachment: a seeded Bresenham line, so exactly
   * floor(count × rate + phase) emails do, spread evenly through the archive.
   */
  hasAttachment(index: number, type: FileType): boolean {
    const share = this.attachmentShare;
    if (share === 0 || type !== 'eml') return false;
    return Math.floor(index * share + this.attachmentPhase) > Math.floor((index - 1) * share + this.attachmentPhase);
  }

  /** Attachments that are documents of their own (withFamilies), per folder (index 0 = folder 1). O(count). */
  familyAttachmentsPerFolder(): number[] {
    const perFolder = new Array<number>(this.request.folders).fill(0);
    if (!this.request.withFamilies || this.attachmentShare === 0) return perFolder;
    for (let index = 1; index <= this.count; index++) {
      if (this.hasAttachment(index, this.typeOf(index))) perFolder[this.folderOf(index) - 1]!++;
    }
    return perFolder;
  }

  /**
   * Document i and, with withFamilies, the attachment it carries as a document of its own:
   * control number and file name with the suffix _0001 / .0001, the parent's folder and metadata.
   */
  family(index: number): PlannedDocument[] {
    const parent = this.document(index);
    if (!this.request.withFamilies || !parent.hasAttachment) return [parent];
    const childNumber = `${parent.controlNumber}.0001`;
    const stem = parent.path.slice(0, parent.path.lastIndexOf('.'));
    const family = { begin: parent.controlNumber, end: childNumber };
    const child: PlannedDocument = {
      ...parent,
      controlNumber: childNumber,
      type: 'pdf',
      path: `${stem}_0001.pdf`,
      textPath: parent.textPath === null ? null : `${stem}_0001.txt`,
      hasAttachment: false,
      parentControlNumber: parent.controlNumber,
      family,
      attachmentOf: parent,
      pageCount: 1,
      paddingBytes: 0,
    };
    parent.family = family;
    return [parent, child];
  }

  /** One shared string per folder, not one per document (renderers cache per value). */
  private custodianOf(folder: number): string {
    let custodian = this.custodians[folder];
    if (custodian === undefined) custodian = this.custodians[folder] = `Custodian ${folder}`;
    return custodian;
  }

  private pageCount(rng: Rng, type: FileType): number {
    const pages = this.request.tiffPages;
    if (type !== 'tiff' || !pages) return 1;
    return pages.min + rng.below(pages.max - pages.min + 1);
  }

  names(index: number): DocumentNames {
    const source = this.sourceOf(index);
    if (source) {
      const digits = String(index).padStart(this.indexWidth, '0');
      const dot = source.path.lastIndexOf('.');
      const stem = dot > source.path.lastIndexOf('/') ? source.path.slice(0, dot) : source.path;
      return {
        index,
        controlNumber: source.controlNumber ?? `DOC${digits}`,
        folder: 1,
        path: source.path,
        textPath: this.request.withText ? `${stem}.txt` : null,
        source,
      };
    }
    const folder = this.folderOf(index);
    const digits = String(index).padStart(this.indexWidth, '0');
    const stem = `folder_${String(folder).padStart(3, '0')}/${digits}`;
    return {
      index,
      controlNumber: `DOC${digits}`,
      folder,
      path: `${stem}.${EXTENSIONS[this.typeOf(index)]}`,
      textPath: this.request.withText ? `${stem}.txt` : null,
      source: null,
    };
  }

  document(index: number): PlannedDocument {
    const names = this.names(index);
    const type = this.typeOf(index);
    const rng = new Rng(this.request.seed, Stream.document, index);
    const from = person(rng);
    const recipients = 1 + rng.below(3);
    const to = Array.from({ length: recipients }, () => person(rng));
    // Fields listed one by one: a spread here makes V8 build a slow dictionary object per document.
    return {
      index,
      controlNumber: names.controlNumber,
      folder: names.folder,
      path: names.path,
      textPath: names.textPath,
      source: names.source,
      type,
      custodian: this.custodianOf(names.folder),
      author: from.name,
      dateSent: sentDate(rng),
      from,
      to,
      subject: subject(rng),
      hasAttachment: this.hasAttachment(index, type),
      parentControlNumber: null,
      family: null,
      attachmentOf: null,
      // Drawn last, so adding it left every earlier field of existing archives as it was.
      pageCount: this.pageCount(rng, type),
      paddingBytes: this.paddingOf(index),
    };
  }
}
