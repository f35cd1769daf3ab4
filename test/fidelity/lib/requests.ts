/** Request bodies shared by more than one suite. */
import type { FileType } from '../../../src/generator/types.js';

/**
 * The request of the per-type suites (documents, padded): gaussian folders with metadata, text
 * and load file on, and 30 % attachments for emails so that check_eml.py sees multipart messages.
 */
export function everyOptionRequest(fileType: FileType, opts: { count: number; folders: number; seed: number; name: string; targetSize?: string }) {
  return {
    count: opts.count,
    fileType,
    folders: opts.folders,
    distribution: 'gaussian' as const,
    withMetadata: true,
    withText: true,
    includeLoadFile: true,
    ...(opts.targetSize !== undefined ? { targetSize: opts.targetSize } : {}),
    seed: opts.seed,
    name: opts.name,
    ...(fileType === 'eml' ? { attachmentRate: 30 } : {}),
  };
}
