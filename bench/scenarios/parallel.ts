/**
 * Parallel generation: one worker vs N on a CPU-heavy mix (every email with an attachment, text,
 * everything deflated). ZIPPER_CONCURRENCY is passed to the server; if the build ignores it, the
 * speedup simply reads ≈ 1.0×.
 */
import { availableParallelism } from 'node:os';
import { formatInteger, formatMegabytes, formatRatio, formatSeconds } from '../lib/format.js';
import type { ArchiveMeasurement } from '../lib/measure-archive.js';
import { pick } from '../lib/settings.js';
import { failureNotes, measureOne } from './comparison.js';
import { atLeast, goalCell, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario } from './scenario.js';

function figures(label: string, m: ArchiveMeasurement, extra: string[]): string[] {
  if (!m.completed) return [label, 'failed', 'failed', 'failed', formatMegabytes(m.peakRssBytes), ...extra];
  return [label, formatInteger(m.documentsPerSecond), formatMegabytes(m.bytesPerSecond), formatSeconds(m.seconds), formatMegabytes(m.peakRssBytes), ...extra];
}

export const parallelWorkers: Scenario = {
  id: 'parallel',
  title: 'Parallel generation: 1 worker vs N (CPU-heavy EML mix)',
  async run(context) {
    const workers = Math.max(2, availableParallelism());
    const count = pick(context.settings, 20_000, 5_000);
    const body = { count, fileType: 'eml', attachmentRate: 100, withText: true, compression: 'deflate' };
    const one = await measureOne(context, 'zipper', { body, env: { ZIPPER_CONCURRENCY: '1' } });
    const many = await measureOne(context, 'zipper', { body, env: { ZIPPER_CONCURRENCY: String(workers) } });
    const stock = await measureOne(context, 'archiver', { body });
    const speedup = one.completed && many.completed ? many.documentsPerSecond! / one.documentsPerSecond! : null;
    const met = atLeast(speedup, GOALS.parallelSpeedup);
    return {
      id: this.id,
      title: this.title,
      setup: `POST /archives ${JSON.stringify(body)} with ZIPPER_CONCURRENCY=1, then =${workers}; stock archiver once for reference.`,
      tables: [
        {
          caption: this.title,
          headers: ['server', 'files/s', 'MB/s', 'wall time (s)', 'server peak RSS (MB)', `vs ZIPPER_CONCURRENCY=1`, 'goal'],
          rows: [
            figures('this service, ZIPPER_CONCURRENCY=1', one, ['1.00×', '']),
            figures(`this service, ZIPPER_CONCURRENCY=${workers}`, many, [formatRatio(many.documentsPerSecond, one.documentsPerSecond), goalCell(GOAL_TEXT.parallelSpeedup, met)]),
            figures('stock archiver (reference)', stock, [formatRatio(stock.documentsPerSecond, one.documentsPerSecond), '']),
          ],
        },
      ],
      notes: [
        `Raw limit: ${workers} cores, so ${workers}.00× a single worker is the ceiling (less the main thread's own share of the work).`,
        ...failureNotes(one, many, stock),
      ],
      goals: [
        {
          figure: `parallel (${workers} workers) vs one, CPU-heavy mix`,
          goal: GOAL_TEXT.parallelSpeedup,
          measured: speedup === null ? 'failed' : `${speedup.toFixed(2)}× (${formatInteger(one.documentsPerSecond)} → ${formatInteger(many.documentsPerSecond)} files/s)`,
          met,
        },
      ],
    };
  },
};
