/**
 * Issue 12, production sets: (a) a production of 100k PDFs (native + page image + text per
 * document, DAT, OPT, manifest, report) beside the plain archive of the same 100k PDFs, documents/s;
 * (b) peak server RSS of a 1M-document production beside the plain 1M-document archive. Every
 * measurement on a fresh server, one client, one after another.
 */
import { formatInteger, formatMegabytes, formatRatio, formatSeconds } from '../lib/format.js';
import type { ArchiveMeasurement, ArchiveRequestBody } from '../lib/measure-archive.js';
import { pick } from '../lib/settings.js';
import { failureNotes, measureOne } from './comparison.js';
import { atLeast, goalCell, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario } from './scenario.js';

/** What turns the plain request into a production: one set, default volumes (5,000), 8-digit Bates. */
const PRODUCTION_FIELDS = { bates: { prefix: 'PROD' }, production: {} };

function plainBody(count: number): ArchiveRequestBody {
  return { count };
}

function productionBody(count: number): ArchiveRequestBody {
  return { count, ...PRODUCTION_FIELDS };
}

function completed(m: ArchiveMeasurement, text: string): string {
  return m.completed ? text : 'failed';
}

/** RSS the measured request added over the server after warm-up, per document requested. */
function rssGrowthPerDocument(m: ArchiveMeasurement): number | null {
  return m.completed ? Math.max(0, m.peakRssBytes - m.idleRssBytes) / m.documents : null;
}

export const productionSets: Scenario = {
  id: 'production',
  title: 'Production sets (native + image + text per document)',
  async run(context) {
    const { settings } = context;
    const speedCount = pick(settings, 100_000, 20_000);
    const memoryCount = pick(settings, 1_000_000, 200_000);

    const plainSpeed = await measureOne(context, 'zipper', { body: plainBody(speedCount) });
    const productionSpeed = await measureOne(context, 'zipper', { body: productionBody(speedCount) });
    const plainMemory = await measureOne(context, 'zipper', { body: plainBody(memoryCount) });
    const productionMemory = await measureOne(context, 'zipper', { body: productionBody(memoryCount) });

    const speedRatio = (m: ArchiveMeasurement) =>
      m.completed && plainSpeed.completed ? formatRatio(m.documentsPerSecond, plainSpeed.documentsPerSecond) : formatRatio(null, null);
    const met = atLeast(productionSpeed.completed ? productionSpeed.documentsPerSecond : null, GOALS.productionDocumentsPerSecond);
    const speedRow = (label: string, m: ArchiveMeasurement, goal: string) => [
      label,
      formatInteger(m.documents),
      completed(m, formatInteger(m.entries)),
      completed(m, formatInteger(m.documentsPerSecond)),
      completed(m, formatInteger(m.entriesPerSecond)),
      completed(m, formatMegabytes(m.bytesPerSecond)),
      completed(m, formatMegabytes(m.bytes)),
      completed(m, formatSeconds(m.seconds)),
      formatMegabytes(m.peakRssBytes),
      speedRatio(m),
      goal,
    ];

    const memoryRow = (label: string, m: ArchiveMeasurement, plain: ArchiveMeasurement | null) => [
      label,
      formatInteger(m.documents),
      completed(m, formatInteger(m.entries)),
      formatMegabytes(m.idleRssBytes),
      formatMegabytes(m.peakRssBytes),
      plain ? formatRatio(m.peakRssBytes, plain.peakRssBytes) : '',
      completed(m, formatInteger(rssGrowthPerDocument(m))),
      completed(m, formatInteger(m.documentsPerSecond)),
      completed(m, formatSeconds(m.seconds)),
    ];

    const notes = [
      `Documents/s counts documents requested (count), not ZIP entries: a one-page PDF production writes 3 entries per document ` +
        '(native, TIFF, text) plus DAT, OPT, manifest and report per set; the plain archive writes 1.',
      'Peak RSS is the server\'s VmHWM over the whole process (warm-up of 1,000 documents, then the measured request); ' +
        'growth per document is (peak − RSS after warm-up) / documents.',
      ...failureNotes(plainSpeed, productionSpeed, plainMemory, productionMemory),
    ];
    if (settings.quick) notes.unshift(`--quick: ${formatInteger(speedCount)} and ${formatInteger(memoryCount)} documents, not 100k and 1M: the goal is not judged.`);

    return {
      id: this.id,
      title: this.title,
      setup:
        `POST /archives {"count": N} (plain) and {"count": N, ${JSON.stringify(PRODUCTION_FIELDS).slice(1, -1)}} (production), ` +
        `N = ${formatInteger(speedCount)} then ${formatInteger(memoryCount)}; default types (PDF); one client, fresh server each, one at a time.`,
      tables: [
        {
          caption: `${formatInteger(speedCount)} PDFs: production vs plain archive`,
          headers: ['request', 'documents', 'ZIP entries', 'documents/s', 'entries/s', 'MB/s', 'archive size (MB)', 'wall time (s)', 'server peak RSS (MB)', 'vs plain', 'goal'],
          rows: [
            speedRow('plain archive', plainSpeed, ''),
            speedRow('production (native + image + text)', productionSpeed, goalCell(GOAL_TEXT.productionDocumentsPerSecond, settings.quick ? null : met)),
          ],
        },
        {
          caption: `Server RSS: production vs plain archive, ${formatInteger(speedCount)} and ${formatInteger(memoryCount)} documents`,
          headers: ['request', 'documents', 'ZIP entries', 'RSS after warm-up (MB)', 'peak RSS (MB)', 'peak vs plain', 'RSS growth per document (bytes)', 'documents/s', 'wall time (s)'],
          rows: [
            memoryRow('plain archive', plainSpeed, null),
            memoryRow('production', productionSpeed, plainSpeed),
            memoryRow('plain archive', plainMemory, null),
            memoryRow('production', productionMemory, plainMemory),
          ],
        },
      ],
      notes,
      goals: [
        {
          figure: `production set, ${formatInteger(speedCount)} PDFs (native + image + text each)`,
          goal: GOAL_TEXT.productionDocumentsPerSecond,
          measured: `${completed(productionSpeed, formatInteger(productionSpeed.documentsPerSecond))} documents/s (plain: ${completed(plainSpeed, formatInteger(plainSpeed.documentsPerSecond))}, ${speedRatio(productionSpeed)})`,
          met: settings.quick ? null : met,
        },
      ],
    };
  },
};
