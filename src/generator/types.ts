/** Shared shapes of the generator: the plan produces PlannedDocuments, renderers turn them into bytes. */
import type { SourceRecord } from './sources/table.js';

export const FILE_TYPES = ['pdf', 'jpg', 'tiff', 'eml', 'docx', 'xlsx'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export interface Person {
  name: string;
  address: string;
}

/** Where document i goes and what it is called: cheap, no metadata drawn. */
export interface DocumentNames {
  /** 1-based position in the archive. */
  index: number;
  /** "DOC" + 8-digit (or wider) index. */
  controlNumber: string;
  /** 1-based folder number. */
  folder: number;
  /** Entry name of the document, e.g. "folder_001/00000001.pdf". */
  path: string;
  /** Entry name of the extracted text beside it, or null without withText. */
  textPath: string | null;
  /** A source-driven set's record for this document (its given identities and metadata), else null. */
  source: SourceRecord | null;
}

/** Everything about document i that the archive, the load file and the tests read. Pure data. */
export interface PlannedDocument extends DocumentNames {
  type: FileType;
  /** "Custodian F", linked to the folder. */
  custodian: string;
  author: string;
  /** Second-resolution UTC instant. */
  dateSent: Date;
  from: Person;
  to: Person[];
  subject: string;
  /** Email only: carries a placeholder attachment. */
  hasAttachment: boolean;
  /** Family fields (withFamilies): the parent's control number for an attachment, else null. */
  parentControlNumber: string | null;
  /** First and last control number of the family this document belongs to, or null. */
  family: { begin: string; end: string } | null;
  /** For an attachment that is its own document: the email it came from (its bytes are the attachment's). */
  attachmentOf: PlannedDocument | null;
  /** Pages (multipage TIFF); 1 for every other document. */
  pageCount: number;
  /** Incompressible bytes the renderer must place inside the document (0 = none). */
  paddingBytes: number;
}

/**
 * A rendered document: literal bytes, and holes of `padding` bytes the archive layer fills
 * with seed-derived incompressible bytes. Its size is known without producing the padding.
 */
export type DocumentPart = Buffer | { padding: number };
