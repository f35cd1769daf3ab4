import { z } from 'zod';
import { parseByteSize } from '../generator/byte-size.js';
import { DISTRIBUTIONS } from '../generator/distribution.js';
import { FILE_TYPES } from '../generator/types.js';
import { ENCODINGS } from '../generator/loadfile/encoding.js';
import type { Config } from '../config.js';

export const COMPRESSIONS = ['auto', 'deflate', 'store'] as const;
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
export const MAX_FOLDERS = 100;

/** Request bodies arrive as JSON; the same fields as a query string arrive as text. */
export type FieldSource = 'json' | 'query';

/** Letters, digits and `._-`; everything else becomes `_`, and no leading dot (no hidden files). */
export function sanitizeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return clean === '' ? 'archive' : clean;
}

function integer(source: FieldSource) {
  return source === 'json' ? z.number().int() : z.coerce.number().int();
}

function boolean(source: FieldSource) {
  return source === 'json' ? z.boolean() : z.stringbool();
}

function byteSize(maxBytes: number) {
  return z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === null || bytes < 1) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected a byte size such as "500MB", "1.5GB", "20MiB" or a whole number of bytes',
        });
        return z.NEVER;
      }
      if (bytes > maxBytes) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes (ZIPPER_MAX_TARGET_SIZE)` });
        return z.NEVER;
      }
      return bytes;
    });
}

/**
 * The archive request, one definition for JSON bodies and query strings, bounded by the server's
 * limits. Its JSON Schema is what /openapi.json documents.
 */
export function archiveRequestSchema(limits: Config['limits'], source: FieldSource) {
  return z
    .strictObject({
      count: integer(source).min(1).max(limits.maxCount).describe(`Number of documents, 1 … ${limits.maxCount} (ZIPPER_MAX_COUNT).`),
      fileType: z.enum(FILE_TYPES).default('pdf').describe('Type of every document.'),
      folders: integer(source).min(1).max(MAX_FOLDERS).default(1).describe('Number of folders folder_001 … folder_100.'),
      distribution: z.enum(DISTRIBUTIONS).default('proportional').describe("How documents spread over folders (Zipper's formulas)."),
      withMetadata: boolean(source).default(false).describe('Add Custodian, Date Sent, Author and File Size columns.'),
      withText: boolean(source).default(false).describe('Add an extracted-text .txt beside every document and an Extracted Text column.'),
      attachmentRate: integer(source).min(0).max(100).default(0).describe('Percent of emails that carry a placeholder PDF attachment (fileType eml only).'),
      targetSize: byteSize(limits.maxTargetSize)
        .optional()
        .describe('Pad documents so the archive lands on this size: "500MB", "1.5GB", "20MiB" or bytes (MB = 10^6, MiB = 2^20).'),
      includeLoadFile: boolean(source).default(true).describe('Put the load file at the archive root.'),
      loadFileFormat: z.enum(['dat']).default('dat').describe('Load-file format (Concordance DAT).'),
      encoding: z.enum(ENCODINGS).default('UTF-8').describe('Load-file encoding: UTF-8 (no BOM), UTF-16 (little-endian with BOM), ANSI (Windows-1252).'),
      seed: integer(source).min(0).max(MAX_SEED).optional().describe('Same request + same seed ⇒ byte-identical archive. Absent: the server picks one (X-Zipper-Seed).'),
      compression: z.enum(COMPRESSIONS).default('auto').describe('auto: deflate documents, store padded ones; deflate; store (documents; the load file is always deflated).'),
      format: z.enum(['zip']).default('zip').describe('Archive format.'),
      name: z.string().min(1).max(100).default('archive').transform(sanitizeName).describe('Base name of the archive and load file; sanitised to letters, digits and ._-'),
    })
    .superRefine((request, ctx) => {
      if (request.attachmentRate > 0 && request.fileType !== 'eml') {
        ctx.addIssue({ code: 'custom', path: ['attachmentRate'], message: 'attachments are only for fileType "eml"' });
      }
    });
}

export type ArchiveRequest = z.output<ReturnType<typeof archiveRequestSchema>>;
/** A request whose seed is settled: everything the archive is a pure function of. */
export type ResolvedRequest = ArchiveRequest & { seed: number };
