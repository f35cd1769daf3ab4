/**
 * Load files by column profile: POST /loadfiles with the default columns (SPEC's fixed set with
 * metadata) and with each built-in profile, one server, side by side. Rows/s and bytes per row
 * show what a profile's columns cost; the raw limit is loopback HTTP at each row size.
 */
import { formatInteger, formatMegabytes, formatRatio, formatSeconds } from '../lib/format.js';
import { runHttpClient } from '../lib/http-client.js';
import { pick } from '../lib/settings.js';
import { startZipperServer } from '../lib/zipper-server.js';
import type { Scenario } from './scenario.js';

const VARIANTS: ReadonlyArray<{ label: string; fields: Record<string, unknown> }> = [
  { label: 'default columns, withMetadata (6)', fields: { withMetadata: true } },
  { label: 'columnProfile minimal (5)', fields: { columnProfile: 'minimal' } },
  { label: 'columnProfile standard (24)', fields: { columnProfile: 'standard' } },
  { label: 'columnProfile litigation (48)', fields: { columnProfile: 'litigation' } },
  { label: 'columnProfile full (138)', fields: { columnProfile: 'full' } },
];

export const profileLoadFiles: Scenario = {
  id: 'profiles',
  title: 'DAT load file alone by column profile (POST /loadfiles)',
  async run(context) {
    const count = pick(context.settings, 200_000, 20_000);
    const server = await startZipperServer(context.settings, 'zipper');
    const rows: string[][] = [];
    const loopback = await context.raw.loopback(1);
    try {
      const url = `${server.baseUrl}/loadfiles`;
      for (const variant of VARIANTS) {
        const body = { count, loadFileFormat: 'dat', seed: context.settings.seed, ...variant.fields };
        // A small warm-up request per variant: the first one pays for compiling its column code.
        await runHttpClient({ requests: [{ url, method: 'POST', body: { ...body, count: 1000 } }], timeLimitMs: 60_000 });
        context.log(`  ${variant.label}: ${formatInteger(count)} rows`);
        const outcome = await runHttpClient({ requests: [{ url, method: 'POST', body }], timeLimitMs: 600_000 });
        const request = outcome.requests[0];
        if (!request?.completed || request.status !== 200) throw new Error(`${variant.label}: ${request?.status} ${request?.error ?? ''}`);
        const seconds = outcome.wallMs / 1000;
        const rowsPerSecond = count / seconds;
        const rawRowsPerSecond = loopback.bytesPerSecond / (request.bytes / count);
        rows.push([
          variant.label,
          formatInteger(rowsPerSecond),
          formatMegabytes(request.bytes / seconds),
          formatInteger(request.bytes / count),
          formatSeconds(seconds),
          formatInteger(rawRowsPerSecond),
          formatRatio(rowsPerSecond, rawRowsPerSecond),
        ]);
      }
    } finally {
      await server.stop();
    }
    return {
      id: this.id,
      title: this.title,
      setup: `POST /loadfiles {"count": ${formatInteger(count)}, "loadFileFormat": "dat", …} per row of the table, one server (ZIPPER_CONCURRENCY workers encode the rows), a 1,000-row warm-up before each.`,
      tables: [
        {
          caption: this.title,
          headers: ['columns', 'rows/s', 'MB/s', 'bytes/row', 'time (s)', 'raw limit rows/s (loopback at this row size)', 'service / raw'],
          rows,
        },
      ],
      notes: ['Stock archiver writes no load files: no stock column. The full profile\'s rows are ≈ 3 KB, most of it lorem-text NOTES columns.'],
      goals: [],
    };
  },
};
