/** Scenario 8: 8 clients at once, each a 20k-PDF archive: aggregate files/s and peak RSS. */
import { pick } from '../lib/settings.js';
import { compareEngines, comparisonTable, failureNotes, rawNote } from './comparison.js';
import type { Scenario } from './scenario.js';

const CLIENTS = 8;

export const concurrentClients: Scenario = {
  id: 'concurrent-8',
  title: `${CLIENTS} concurrent clients × 20k PDFs`,
  async run(context) {
    const count = pick(context.settings, 20_000, 5_000);
    const body = { count };
    const comparison = await compareEngines(context, { body, clients: CLIENTS });
    return {
      id: this.id,
      title: this.title,
      setup:
        `${CLIENTS} × POST /archives ${JSON.stringify(body)} at once from one client process (${CLIENTS} connections). ` +
        'files/s and MB/s are aggregates over the wall time; first byte is the slowest client\'s.',
      tables: [comparisonTable(`${CLIENTS} concurrent clients × ${count.toLocaleString('en-US')} PDFs`, comparison)],
      notes: [rawNote(comparison), ...failureNotes(comparison.ours, comparison.stock)],
      goals: [],
    };
  },
};
