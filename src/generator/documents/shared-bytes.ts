/**
 * Bytes that every document of a type repeats (a PDF's fixed objects, a JPEG's image data).
 * Renderers hand them out as the same Buffer each time and mark them here, so the archive
 * writer compresses each of them once per process instead of once per document.
 */
const SHARED = new WeakSet<Buffer>();

export function sharedBytes(bytes: Buffer): Buffer {
  SHARED.add(bytes);
  return bytes;
}

export function isSharedBytes(bytes: Buffer): boolean {
  return SHARED.has(bytes);
}
