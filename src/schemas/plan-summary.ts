import { z } from 'zod';
import { BATES_MODES, WITHHELD_NATIVE_POLICIES } from '../generator/production/types.js';
import { PLAN_COUNT_LIMIT } from '../generator/production/summary.js';

const fileCounts = z
  .object({
    native: z.number().int(),
    placeholder: z.number().int(),
    image: z.number().int(),
    text: z.number().int(),
    'redacted-image': z.number().int(),
    'redacted-text': z.number().int(),
  })
  .describe('Files of the set by kind');

const productionSummarySchema = z
  .object({
    volumeSize: z.number().int(),
    batesMode: z.enum(BATES_MODES),
    withheldNativePolicy: z.enum(WITHHELD_NATIVE_POLICIES).nullable().describe('null when not redacted'),
    loadFiles: z.object({ dat: z.string(), opt: z.string(), columns: z.array(z.string()) }).describe("Each set folder's DAT and OPT, and the DAT's header columns"),
    sidecars: z.object({ manifest: z.string(), report: z.string() }),
    sets: z.array(
      z.object({
        sequence: z.number().int(),
        id: z.string().describe('The set\'s folder'),
        batesRange: z.object({ start: z.string(), end: z.string(), prefix: z.string(), digits: z.number().int() }),
        documents: z.number().int().describe('Parent documents (count)'),
        volumes: z.array(z.object({ name: z.string(), documents: z.number().int() })),
        rows: z.number().int().nullable().describe('DAT rows, attachments included; null when not counted'),
        optLines: z.number().int().nullable().describe('OPT lines (one per page); null when not counted'),
        files: fileCounts.nullable(),
        entries: z.number().int().nullable().describe('Entries of the set folder (files, DAT, OPT, manifest, report); null when not counted'),
      }),
    ),
    entries: z.number().int().nullable().describe(`Entries of the archive; null over ${PLAN_COUNT_LIMIT.toLocaleString('en-US')} documents (counting walks every document)`),
    supplemental: z
      .object({
        duplicateRanges: z.array(z.object({ start: z.string(), end: z.string() })),
        skippedRanges: z.array(z.object({ start: z.string(), end: z.string() })),
        expectedNextBates: z.string(),
        actualStartingBates: z.string(),
      })
      .nullable()
      .describe("Supplemental: what the manifests will record (skipped ranges with gapPolicy allow); else null"),
  })
  .meta({ id: 'ProductionSummary' });

/** POST /archives/plan's answer (documentation and serialisation). */
export const planSummarySchema = z
  .object({
    seed: z.number().int().describe('The seed the archive would use (send it back to get these exact bytes)'),
    archiveName: z.string(),
    documents: z.number().int().describe('Documents in the archive, attachments that are documents of their own included'),
    attachments: z.number().int().describe('Attachments that are documents of their own (withFamilies)'),
    entries: z.number().int().nullable().describe(`Files in the archive: documents, texts, load file; for a production its files when counted (at most ${PLAN_COUNT_LIMIT.toLocaleString('en-US')} documents), else null`),
    folders: z.array(z.object({ name: z.string(), documents: z.number().int() })),
    fileTypes: z.record(z.string(), z.number().int()).describe('Documents per file type'),
    loadFiles: z
      .array(
        z.object({
          name: z.string(),
          format: z.string(),
          encoding: z.string(),
          lineEnding: z.string(),
          columns: z.array(z.string()),
          auditFile: z.string().nullable().describe('Name of its _properties.json audit file beside it (withAudit), or null'),
        }),
      )
      .describe('Load files at the archive root, with their header columns (none for OPT)'),
    anomalies: z
      .array(
        z.object({
          target: z.enum(['loadfile', 'document', 'archive']),
          file: z.string(),
          line: z.number().int().nullable(),
          recordId: z.string(),
          column: z.string(),
          type: z.string(),
          description: z.string(),
        }),
      )
      .describe('With chaos: the answer key, as the archive\'s <name>_anomalies.json lists it (empty without chaos)'),
    estimatedBytes: z.number().int().describe('Estimated archive size (exact sizes depend on compression)'),
    archiveBytes: z
      .number()
      .int()
      .nullable()
      .describe(
        'The archive\'s exact length in bytes, when known: an archive of at most 1,000 documents (and 32 MiB) is measured for the answer, a larger one with ?measure=true; else known once this replica has made it whole, or measured it for a HEAD or a Range request of the same fields and seed. Otherwise null (see estimatedBytes)',
      ),
    targetSize: z.number().int().nullable(),
    paddingPerDocument: z.number().int(),
    production: productionSummarySchema.nullable().describe('With production: its sets, volumes, Bates ranges, load files and counts (folders, loadFiles and anomalies are then empty); else null'),
  })
  .meta({ id: 'PlanSummary' });
