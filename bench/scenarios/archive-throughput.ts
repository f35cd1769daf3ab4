/** Scenarios 1–3: one archive of small documents over HTTP, files/s side by side. */
import { formatInteger } from '../lib/format.js';
import type { ArchiveRequestBody } from '../lib/measure-archive.js';
import { pick } from '../lib/settings.js';
import { compareEngines, comparisonTable, failureNotes, rawNote } from './comparison.js';
import { atLeast, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario } from './scenario.js';

interface ThroughputDefinition {
  id: string;
  title: string;
  body: (count: number) => ArchiveRequestBody;
  fullCount: number;
  quickCount: number;
  /** Whether the SPEC's ≥ 100,000 files/s goal is about this scenario. */
  hasFilesGoal: boolean;
}

function throughputScenario(definition: ThroughputDefinition): Scenario {
  return {
    id: definition.id,
    title: definition.title,
    async run(context) {
      const count = pick(context.settings, definition.fullCount, definition.quickCount);
      const body = definition.body(count);
      const comparison = await compareEngines(context, { body });
      const met = definition.hasFilesGoal ? atLeast(comparison.ours.documentsPerSecond, GOALS.pdfDocumentsPerSecond) : null;
      const goals = definition.hasFilesGoal ? { documentsPerSecond: GOAL_TEXT.pdfDocumentsPerSecond, met: { documentsPerSecond: met } } : {};
      return {
        id: definition.id,
        title: definition.title,
        setup: `POST /archives ${JSON.stringify(body)}, one client, fresh server per engine.`,
        tables: [comparisonTable(`${definition.title}`, comparison, goals)],
        notes: [rawNote(comparison), ...failureNotes(comparison.ours, comparison.stock)],
        goals: definition.hasFilesGoal
          ? [{ figure: `${formatInteger(count)} PDFs over HTTP`, goal: GOAL_TEXT.pdfDocumentsPerSecond, measured: `${formatInteger(comparison.ours.documentsPerSecond)} files/s`, met }]
          : [],
      };
    },
  };
}

export const pdf100k = throughputScenario({
  id: 'pdf-100k',
  title: '100k PDF placeholders (default options)',
  body: (count) => ({ count }),
  fullCount: 100_000,
  quickCount: 20_000,
  hasFilesGoal: true,
});

export const pdf100kMetadataText = throughputScenario({
  id: 'pdf-100k-metadata-text',
  title: '100k PDFs with metadata and extracted text',
  body: (count) => ({ count, withMetadata: true, withText: true }),
  fullCount: 100_000,
  quickCount: 20_000,
  hasFilesGoal: false,
});

export const eml20k = throughputScenario({
  id: 'eml-20k',
  title: '20k EML, 30 % with attachments',
  body: (count) => ({ count, fileType: 'eml', attachmentRate: 30 }),
  fullCount: 20_000,
  quickCount: 5_000,
  hasFilesGoal: false,
});
