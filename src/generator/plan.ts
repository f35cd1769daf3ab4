import { folderCounts, folderOf } from './distribution.js';
import { person, sentDate, subject } from './metadata.js';
import { Rng, Stream } from './random.js';
import type { DocumentNames, FileType, PlannedDocument } from './types.js';
import type { ResolvedRequest } from '../schemas/archive-request.js';

/** File-name extension of each document type. */
export const EXTENSIONS: Record<FileType, string> = { pdf: 'pdf', jpg: 'jpg', tiff: 'tiff', eml: 'eml' };

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

  constructor(request: ResolvedRequest, padding: PaddingSplit = NO_PADDING) {
    this.request = request;
    this.padding = padding;
    this.indexWidth = Math.max(8, String(request.count).length);
    this.attachmentShare = request.fileType === 'eml' ? request.attachmentRate / 100 : 0;
    this.attachmentPhase = new Rng(request.seed, Stream.placement, 0).float();
  }

  get count(): number {
    return this.request.count;
  }

  get loadFileName(): string | null {
    return this.request.includeLoadFile ? `${this.request.name}.${this.request.loadFileFormat}` : null;
  }

  get archiveFileName(): string {
    return `${this.request.name}.zip`;
  }

  /** Same plan with documents padded as given (sizing decides the split). */
  withPadding(padding: PaddingSplit): ArchivePlan {
    return new ArchivePlan(this.request, padding);
  }

  paddingOf(index: number): number {
    return this.padding.base + (index <= this.padding.remainder ? 1 : 0);
  }

  folderOf(index: number): number {
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
  hasAttachment(index: number): boolean {
    const share = this.attachmentShare;
    if (share === 0) return false;
    return Math.floor(index * share + this.attachmentPhase) > Math.floor((index - 1) * share + this.attachmentPhase);
  }

  names(index: number): DocumentNames {
    const folder = this.folderOf(index);
    const digits = String(index).padStart(this.indexWidth, '0');
    const stem = `folder_${String(folder).padStart(3, '0')}/${digits}`;
    return {
      index,
      controlNumber: `DOC${digits}`,
      folder,
      path: `${stem}.${EXTENSIONS[this.request.fileType]}`,
      textPath: this.request.withText ? `${stem}.txt` : null,
    };
  }

  document(index: number): PlannedDocument {
    const names = this.names(index);
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
      type: this.request.fileType,
      custodian: `Custodian ${names.folder}`,
      author: from.name,
      dateSent: sentDate(rng),
      from,
      to,
      subject: subject(rng),
      hasAttachment: this.hasAttachment(index),
      paddingBytes: this.paddingOf(index),
    };
  }
}
