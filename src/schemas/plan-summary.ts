import { z } from 'zod';

/** POST /archives/plan's answer (documentation and serialisation). */
export const planSummarySchema = z
  .object({
    seed: z.number().int().describe('The seed the archive would use (send it back to get these exact bytes)'),
    archiveName: z.string(),
    documents: z.number().int().describe('Documents in the archive, attachments that are documents of their own included'),
    attachments: z.number().int().describe('Attachments that are documents of their own (withFamilies)'),
    entries: z.number().int().describe('Files in the archive: documents, texts, load file'),
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
    targetSize: z.number().int().nullable(),
    paddingPerDocument: z.number().int(),
  })
  .meta({ id: 'PlanSummary' });
