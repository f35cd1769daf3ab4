/**
 * Issue 11, chaos: the same 100k-PDF archive (DAT + OPT, metadata) without chaos and with 1 % and
 * 10 % of every load file's lines broken, each on a fresh server. Goal: chaos within 5 % of the
 * archive without it (its load files are made in one pass, as with Bates numbers).
 */
import { formatInteger, formatMegabytes, formatRatio, formatSeconds } from '../lib/format.js';
import type { ArchiveMeasurement } from '../lib/measure-archive.js';
import { pick } from '../lib/settings.js';
import { failureNotes, measureOne } from './comparison.js';
import type { Scenario } from './scenario.js';

const VARIANTS: Array<{ label: string; fields: Record<string, unknown> }> = [
  { label: 'no chaos', fields: {} },
  { label: 'chaos 1 % (every type of DAT and OPT)', fields: { chaos: { amount: '1%' } } },
  { label: 'chaos 10 %', fields: { chaos: { amount: '10%' } } },
];

const GOAL_RATIO = 0.95;

export const chaosArchive: Scenario = {
  id: 'chaos',
  title: '100k PDFs with chaos in the load files',
  async run(context) {
    const body = { count: pick(context.settings, 100_000, 20_000), withMetadata: true, loadFileFormats: ['dat', 'opt'], seed: context.settings.seed };
    const measured: ArchiveMeasurement[] = [];
    for (const variant of VARIANTS) measured.push(await measureOne(context, 'zipper', { body: { ...body, ...variant.fields } }));
    const none = measured[0]!;
    const ratio = (m: ArchiveMeasurement) => (m.documentsPerSecond && none.documentsPerSecond ? m.documentsPerSecond / none.documentsPerSecond : null);
    const met = measured.slice(1).every((m) => (ratio(m) ?? 0) >= GOAL_RATIO);
    return {
      id: this.id,
      title: this.title,
      setup: `POST /archives ${JSON.stringify(body)} without chaos, with {"chaos":{"amount":"1%"}} and "10%"; one client, fresh server each.`,
      tables: [
        {
          caption: this.title,
          headers: ['request', 'files/s', 'MB/s', 'wall time (s)', 'server peak RSS (MB)', 'vs no chaos', 'goal'],
          rows: VARIANTS.map((variant, k) => {
            const m = measured[k]!;
            return [
              variant.label,
              m.completed ? formatInteger(m.documentsPerSecond) : 'failed',
              m.completed ? formatMegabytes(m.bytesPerSecond) : 'failed',
              m.completed ? formatSeconds(m.seconds) : 'failed',
              formatMegabytes(m.peakRssBytes),
              formatRatio(ratio(m), 1),
              k === 0 ? '' : `≥ ${GOAL_RATIO}× (${(ratio(m) ?? 0) >= GOAL_RATIO ? 'met' : 'not met'})`,
            ];
          }),
        },
      ],
      notes: [...failureNotes(...measured)],
      goals: [{ figure: '100k PDFs with chaos 1 % and 10 %', goal: `within 5 % of no chaos`, measured: measured.slice(1).map((m) => formatRatio(ratio(m), 1)).join(', '), met }],
    };
  },
};
