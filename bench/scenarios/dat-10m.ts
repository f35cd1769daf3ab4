/**
 * Scenario 7: the DAT load file alone, 10M rows with metadata: as the service streams it (POST
 * /loadfiles, rows encoded by the generator workers), and one sequential pass on one thread in a
 * child process, whose breakdown shows what a row costs. Stock archiver writes no load files.
 */
import { formatInteger, formatMegabytes, formatRatio, formatSeconds, NOT_APPLICABLE } from '../lib/format.js';
import { runChildTask } from '../lib/child-task.js';
import { runHttpClient } from '../lib/http-client.js';
import { pick } from '../lib/settings.js';
import { startZipperServer } from '../lib/zipper-server.js';
import type { DatRowsInput, DatRowsOutput } from '../tasks/dat-rows.js';
import { atLeast, goalCell, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const DAT_ROWS_SCRIPT = new URL('../tasks/dat-rows.js', import.meta.url);

interface HttpLoadFile {
  available: boolean;
  rowsPerSecond: number | null;
  bytes: number;
  seconds: number;
  peakRssBytes: number;
  note: string;
}

/** POST /loadfiles, if the server has it: probed with one row first. */
async function measureOverHttp(context: ScenarioContext, count: number): Promise<HttpLoadFile> {
  const server = await startZipperServer(context.settings, 'zipper');
  try {
    const url = `${server.baseUrl}/loadfiles`;
    const body = (rows: number) => ({ count: rows, withMetadata: true, seed: context.settings.seed });
    const probe = await runHttpClient({ requests: [{ url, method: 'POST', body: body(1) }], timeLimitMs: 30_000 });
    const probeStatus = probe.requests[0]?.status;
    if (probeStatus !== 200) {
      return { available: false, rowsPerSecond: null, bytes: 0, seconds: 0, peakRssBytes: 0, note: `POST /loadfiles answered ${probeStatus}: measured in process only.` };
    }
    const outcome = await runHttpClient({ requests: [{ url, method: 'POST', body: body(count) }], timeLimitMs: 600_000 + count * 0.1 });
    const request = outcome.requests[0];
    const ok = request?.completed === true && request.status === 200;
    return {
      available: true,
      rowsPerSecond: ok ? count / (outcome.wallMs / 1000) : null,
      bytes: request?.bytes ?? 0,
      seconds: outcome.wallMs / 1000,
      peakRssBytes: server.memory().peakRssBytes,
      note: ok ? 'Also measured over HTTP: POST /loadfiles.' : `POST /loadfiles failed: ${request?.error}`,
    };
  } finally {
    await server.stop();
  }
}

export const dat10M: Scenario = {
  id: 'dat-10m',
  title: 'DAT load file alone, 10M rows with metadata',
  async run(context) {
    const count = pick(context.settings, 10_000_000, 1_000_000);
    context.log(`  in process: datChunks of ${formatInteger(count)} rows`);
    const local = await runChildTask<DatRowsInput, DatRowsOutput>(DAT_ROWS_SCRIPT, { count, seed: context.settings.seed }, { timeoutMs: 1_800_000 });
    const rowsPerSecond = local.rows / local.seconds;
    context.log(`    ${formatInteger(rowsPerSecond)} rows/s`);
    const http = await measureOverHttp(context, count);
    const loopback = await context.raw.loopback(1);
    const bytesPerRow = local.bytes / local.rows;
    const loopbackRowsPerSecond = loopback.bytesPerSecond / bytesPerRow;
    const rawRowsPerSecond = Math.min(local.encodeRowsPerSecond, loopbackRowsPerSecond);
    // The goal is the service's figure: over HTTP, when the route answers.
    const serviceRowsPerSecond = http.rowsPerSecond ?? rowsPerSecond;
    const met = atLeast(serviceRowsPerSecond, GOALS.loadFileRowsPerSecond);
    return {
      id: this.id,
      title: this.title,
      setup: `POST /loadfiles {"count": ${formatInteger(count)}, "withMetadata": true} (ZIPPER_CONCURRENCY workers encode the rows); and datChunks(plan, documentSize), one sequential pass in a child process, bytes counted and dropped.`,
      tables: [
        {
          caption: this.title,
          headers: ['figure', 'one thread, in process (datChunks)', 'this service over HTTP (POST /loadfiles)', 'raw limit', 'service / raw', 'goal'],
          rows: [
            [
              'rows/s',
              formatInteger(rowsPerSecond),
              http.available ? formatInteger(http.rowsPerSecond) : 'no route yet',
              formatInteger(rawRowsPerSecond),
              formatRatio(serviceRowsPerSecond, rawRowsPerSecond),
              goalCell(GOAL_TEXT.loadFileRowsPerSecond, met),
            ],
            ['MB/s', formatMegabytes(local.bytes / local.seconds), http.available ? formatMegabytes(http.bytes / http.seconds) : NOT_APPLICABLE, NOT_APPLICABLE, '', ''],
            ['load file size (MB)', formatMegabytes(local.bytes), http.available ? formatMegabytes(http.bytes) : NOT_APPLICABLE, NOT_APPLICABLE, '', ''],
            ['time (s)', formatSeconds(local.seconds), http.available ? formatSeconds(http.seconds) : NOT_APPLICABLE, NOT_APPLICABLE, '', ''],
            ['peak RSS (MB)', formatMegabytes(local.peakRssBytes), http.available ? formatMegabytes(http.peakRssBytes) : NOT_APPLICABLE, NOT_APPLICABLE, '', ''],
            ['breakdown: plan.document() alone, rows/s', formatInteger(local.planRowsPerSecond), '', '', '', ''],
            ['breakdown: encoding ready row text alone, rows/s', formatInteger(local.encodeRowsPerSecond), '', '', '', ''],
            ['breakdown: loopback HTTP at this row size, rows/s', formatInteger(loopbackRowsPerSecond), '', '', '', ''],
          ],
        },
      ],
      notes: [
        'Stock archiver writes no load files: no stock column.',
        'Raw limit: the lower of encoding ready-made row text (Buffer.from of one 64k-character batch, repeated) and loopback HTTP at this row size. ' +
          'The breakdown rows show where a row\'s time goes: planning the document, building the row text (the rest), encoding.',
        http.note,
      ],
      goals: [{ figure: 'DAT load file alone, with metadata', goal: GOAL_TEXT.loadFileRowsPerSecond, measured: `${formatInteger(serviceRowsPerSecond)} rows/s (${http.rowsPerSecond === null ? 'in process' : 'POST /loadfiles'}); one thread ${formatInteger(rowsPerSecond)}`, met }],
    };
  },
};
