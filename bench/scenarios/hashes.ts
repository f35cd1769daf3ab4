/**
 * Issue 10, hashes: hashMode actual (md5) on the 100k-PDF and the 1 GiB padded archives, side by
 * side with the same requests without hashes (and with all three algorithms, for reference), each
 * on a fresh server of this service.
 */
import { formatInteger, formatMegabytes, formatRatio, formatSeconds } from '../lib/format.js';
import type { ArchiveMeasurement, ArchiveRequestBody } from '../lib/measure-archive.js';
import { pick } from '../lib/settings.js';
import { failureNotes, measureOne } from './comparison.js';
import { atLeast, goalCell, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario } from './scenario.js';

interface HashScenarioDefinition {
  id: string;
  title: string;
  body: (quick: boolean) => ArchiveRequestBody;
  /** The goal's figure: files/s or MB/s of the md5 row. */
  figure: 'documentsPerSecond' | 'bytesPerSecond';
  goal: number;
  goalText: string;
}

const VARIANTS: Array<{ label: string; fields: Record<string, unknown> }> = [
  { label: 'no hashes', fields: {} },
  { label: 'hashMode actual, md5', fields: { hashMode: 'actual' } },
  { label: 'hashMode actual, md5 + sha1 + sha256', fields: { hashMode: 'actual', hashAlgorithms: ['md5', 'sha1', 'sha256'] } },
];

function figures(label: string, m: ArchiveMeasurement, baseline: ArchiveMeasurement, key: HashScenarioDefinition['figure'], goal: string): string[] {
  if (!m.completed) return [label, 'failed', 'failed', 'failed', formatMegabytes(m.peakRssBytes), '', goal];
  return [
    label,
    formatInteger(m.documentsPerSecond),
    formatMegabytes(m.bytesPerSecond),
    formatSeconds(m.seconds),
    formatMegabytes(m.peakRssBytes),
    formatRatio(m[key], baseline.completed ? baseline[key] : null),
    goal,
  ];
}

function hashScenario(definition: HashScenarioDefinition): Scenario {
  return {
    id: definition.id,
    title: definition.title,
    async run(context) {
      const body = definition.body(pick(context.settings, false, true));
      const measured: ArchiveMeasurement[] = [];
      for (const variant of VARIANTS) measured.push(await measureOne(context, 'zipper', { body: { ...body, ...variant.fields } }));
      const [none, md5] = measured as [ArchiveMeasurement, ArchiveMeasurement, ArchiveMeasurement];
      const value = md5.completed ? md5[definition.figure] : null;
      const met = atLeast(value, definition.goal);
      const unit = definition.figure === 'documentsPerSecond' ? 'files/s' : 'MB/s';
      const shown = definition.figure === 'documentsPerSecond' ? formatInteger(value) : formatMegabytes(value);
      return {
        id: definition.id,
        title: definition.title,
        setup: `POST /archives ${JSON.stringify(body)} without hashes, with {"hashMode":"actual"} (md5) and with all three algorithms; one client, fresh server each.`,
        tables: [
          {
            caption: definition.title,
            headers: ['request', 'files/s', 'MB/s', 'wall time (s)', 'server peak RSS (MB)', 'vs no hashes', 'goal'],
            rows: VARIANTS.map((variant, k) => figures(variant.label, measured[k]!, none, definition.figure, k === 1 ? goalCell(definition.goalText, met) : '')),
          },
        ],
        notes: [...failureNotes(...measured)],
        goals: [{ figure: `${definition.title}, hashMode actual md5`, goal: definition.goalText, measured: `${shown} ${unit}`, met }],
      };
    },
  };
}

export const hashesPdf100k = hashScenario({
  id: 'hashes-pdf-100k',
  title: '100k PDFs with actual hashes',
  body: (quick) => ({ count: quick ? 20_000 : 100_000 }),
  figure: 'documentsPerSecond',
  goal: GOALS.hashedPdfDocumentsPerSecond,
  goalText: GOAL_TEXT.hashedPdfDocumentsPerSecond,
});

export const hashesPadded1GiB = hashScenario({
  id: 'hashes-padded-1gib',
  title: '1 GiB padded archive (1,000 PDFs) with actual hashes',
  body: (quick) => ({ count: 1000, targetSize: quick ? '256MiB' : '1GiB' }),
  figure: 'bytesPerSecond',
  goal: GOALS.hashedPaddedBytesPerSecond,
  goalText: GOAL_TEXT.hashedPaddedBytesPerSecond,
});
