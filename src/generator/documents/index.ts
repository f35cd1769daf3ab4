/** Placeholder renderers: PlannedDocument → DocumentPart[] (literal buffers + padding holes). */
import type { DocumentPart, PlannedDocument } from '../types.js';
import { emlSize, renderEml, type PaddingFill } from './eml.js';
import { renderJpeg } from './jpeg.js';
import { ooxmlSize, renderDocx, renderXlsx } from './ooxml.js';
import { pdfBytes, pdfLength, renderPdf } from './pdf.js';
export { pdfBytes };
import { renderTiff } from './tiff.js';

export type { PaddingFill } from './eml.js';
export { extractedText } from './text.js';


export interface RenderOptions {
  /**
   * Padding bytes for formats that cannot hold a raw hole (eml: written as base64 text).
   * Required when an email has paddingBytes > 0.
   */
  fill?: PaddingFill;
  /** Pages of a TIFF (default 1). */
  tiffPages?: number;
}

export function renderDocument(doc: PlannedDocument, options: RenderOptions = {}): DocumentPart[] {
  // An attachment that is a document of its own is the very bytes the email carries.
  if (doc.attachmentOf) return [pdfBytes(doc.attachmentOf)];
  switch (doc.type) {
    case 'pdf':
      return renderPdf(doc);
    case 'jpg':
      return renderJpeg(doc);
    case 'tiff':
      return renderTiff(doc, { pages: options.tiffPages ?? doc.pageCount });
    case 'eml':
      return renderEml(doc, options.fill);
    case 'docx':
      return renderDocx(doc, options.fill);
    case 'xlsx':
      return renderXlsx(doc, options.fill);
    default:
      throw new Error(`renderDocument: unsupported type ${String((doc as { type: unknown }).type)}`);
  }
}

export function partsSize(parts: readonly DocumentPart[]): number {
  let n = 0;
  for (const p of parts) n += Buffer.isBuffer(p) ? p.length : p.padding;
  return n;
}

/** Byte size of the rendered document without producing any padding bytes. */
export function documentSize(doc: PlannedDocument, options: Omit<RenderOptions, 'fill'> = {}): number {
  if (doc.attachmentOf) return pdfLength(doc.attachmentOf);
  if (doc.type === 'pdf' && doc.paddingBytes <= 0) return pdfLength(doc);
  if (doc.type === 'eml') return emlSize(doc);
  if (doc.type === 'docx' || doc.type === 'xlsx') return ooxmlSize(doc);
  return partsSize(renderDocument(doc, options));
}
