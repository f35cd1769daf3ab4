import { z } from 'zod';
import { COMPARISON_MODES } from '../generator/production/compare/compare.js';

const record = z.object({ batesNumber: z.string(), controlNumber: z.string(), filePath: z.string(), hash: z.string(), volume: z.string() });
const span = z.object({ start: z.string(), end: z.string() });

/** Zipper's comparison report (ComparisonModels), property for property. */
export const comparisonReportSchema = z
  .object({
    comparisonMode: z.enum(COMPARISON_MODES),
    manifests: z.array(z.string()).describe('<productionId>/_manifest.json of each production, priors first, the new set last'),
    summary: z.object({
      totalPriorRecords: z.number().int(),
      totalNewRecords: z.number().int(),
      addedCount: z.number().int(),
      removedCount: z.number().int(),
      unchangedCount: z.number().int(),
      changedCount: z.number().int(),
      replacedCount: z.number().int(),
      duplicateCount: z.number().int(),
    }),
    batesAnalysis: z.object({
      priorRange: z.string().describe('"<min> - <max>" of the priors\' Bates (string order), "" when none'),
      newRange: z.string(),
      gaps: z.array(span).describe('Holes inside the new set per prefix, and in supplemental mode the hole between the last prior and the first new number'),
      overlaps: z.array(span).describe('New Bates also in a prior, merged into runs'),
      totalSkippedBates: z.number().int(),
      priorRangesByProductionSet: z.record(z.string(), z.string()),
    }),
    volumeAnalysis: z.array(
      z.object({
        productionId: z.string(),
        volumeName: z.string(),
        priorBatesRange: z.string(),
        newBatesRange: z.string(),
        status: z.enum(['unchanged', 'added', 'removed', 'changed']),
      }),
    ),
    details: z.object({
      added: z.array(record),
      removed: z.array(record),
      unchanged: z.array(record),
      changed: z.array(z.object({ batesNumber: z.string(), controlNumber: z.string(), priorPath: z.string(), newPath: z.string(), priorHash: z.string(), newHash: z.string() })),
      replaced: z.array(z.object({ priorBatesNumber: z.string(), newBatesNumber: z.string(), controlNumber: z.string() })),
      duplicates: z.array(z.object({ set: z.enum(['prior', 'new']), batesNumber: z.string(), controlNumber: z.string(), message: z.string() })),
      skipped: z.array(span).describe('The holes inside the new set'),
    }),
  })
  .meta({ id: 'ComparisonReport' });
