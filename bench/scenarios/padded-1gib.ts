/** Scenario 4: a 1 GiB archive of 1,000 padded PDFs: MB/s (compression auto stores the padding). */
import { formatMegabytes } from '../lib/format.js';
import { pick } from '../lib/settings.js';
import { compareEngines, comparisonTable, failureNotes, rawNote } from './comparison.js';
import { atLeast, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario } from './scenario.js';

export const padded1GiB: Scenario = {
  id: 'padded-1gib',
  title: '1 GiB padded archive (1,000 PDFs, targetSize)',
  async run(context) {
    const targetSize = pick(context.settings, '1GiB', '256MiB');
    const body = { count: 1000, targetSize };
    const comparison = await compareEngines(context, { body });
    const met = atLeast(comparison.ours.bytesPerSecond, GOALS.paddedBytesPerSecond);
    return {
      id: this.id,
      title: this.title,
      setup: `POST /archives ${JSON.stringify(body)}; MB = 10^6 bytes received by the client per second.`,
      tables: [comparisonTable(this.title, comparison, { bytesPerSecond: GOAL_TEXT.paddedBytesPerSecond, met: { bytesPerSecond: met } })],
      notes: [rawNote(comparison), ...failureNotes(comparison.ours, comparison.stock)],
      goals: [
        {
          figure: `${targetSize} padded archive over HTTP`,
          goal: GOAL_TEXT.paddedBytesPerSecond,
          measured: `${formatMegabytes(comparison.ours.completed ? comparison.ours.bytesPerSecond : null)} MB/s`,
          met,
        },
      ],
    };
  },
};
