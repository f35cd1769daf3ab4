/**
 * Issue 13, transfer: what a length and a range cost today. Time to first byte of an archive sent
 * with Content-Length (1,000 documents: measured before sending) and of chunked ones (1M, 10M:
 * the client leaves at the first byte); a 1M-PDF archive whole (which remembers its length), then a
 * Range from 90 % of it on the same server (length remembered) and on a fresh one (length measured
 * first). Goal (SPEC): that range costs ≤ 15 % of the whole archive's time — not met while ranges
 * are made from the archive's start (docs/transfer-design.md).
 */
import { formatInteger, formatMilliseconds, formatRatio, formatSeconds } from '../lib/format.js';
import { runHttpClient, type ClientRequestSpec, type RequestOutcome } from '../lib/http-client.js';
import { median } from '../lib/raw-limits.js';
import { pick } from '../lib/settings.js';
import { startZipperServer } from '../lib/zipper-server.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const RANGE_GOAL_RATIO = 0.15;
const TTFB_SAMPLES = 3;

async function requests(context: ScenarioContext, baseUrl: string, specs: ClientRequestSpec[], stopAfterFirstByte = false): Promise<RequestOutcome[]> {
  const outcome = await runHttpClient({ requests: specs, sequential: true, pauseBetweenMs: 300, warmUpUrl: `${baseUrl}/healthz`, stopAfterFirstByte, timeLimitMs: 600_000 });
  return outcome.requests;
}

const archiveUrl = (baseUrl: string, count: number, seed: number) => `${baseUrl}/archives?count=${count}&seed=${seed}`;

export const transfer: Scenario = {
  id: 'transfer',
  title: 'Length and ranges: time to first byte with Content-Length, a range from 90 %',
  async run(context) {
    const { settings } = context;
    const rangeCount = pick(settings, 1_000_000, 100_000);
    const largeCounts = [pick(settings, 1_000_000, 100_000), pick(settings, 10_000_000, 1_000_000)];
    const seed = settings.seed;
    const notes: string[] = [];

    const server = await startZipperServer(settings, 'zipper');
    let measured: RequestOutcome[];
    let chunked: RequestOutcome[];
    let whole: RequestOutcome;
    let rangeRemembered: RequestOutcome;
    let offset: number;
    try {
      context.log('  first bytes: 1,000 documents (measured before sending), then chunked large archives');
      measured = await requests(
        context,
        server.baseUrl,
        Array.from({ length: TTFB_SAMPLES }, (_, k) => ({ url: archiveUrl(server.baseUrl, 1_000, seed + k), method: 'GET' as const })),
      );
      chunked = await requests(
        context,
        server.baseUrl,
        largeCounts.map((count) => ({ url: archiveUrl(server.baseUrl, count, seed), method: 'GET' as const })),
        true,
      );
      context.log(`  ${formatInteger(rangeCount)} PDFs whole, then Range from 90 % (length remembered)`);
      whole = (await requests(context, server.baseUrl, [{ url: archiveUrl(server.baseUrl, rangeCount, seed), method: 'GET' }]))[0]!;
      offset = Math.floor(whole.bytes * 0.9);
      rangeRemembered = (await requests(context, server.baseUrl, [{ url: archiveUrl(server.baseUrl, rangeCount, seed), method: 'GET', headers: { range: `bytes=${offset}-` } }]))[0]!;
    } finally {
      await server.stop();
    }
    context.log('  Range from 90 % on a fresh server (length measured first)');
    const fresh = await startZipperServer(settings, 'zipper');
    let rangeMeasured: RequestOutcome;
    try {
      rangeMeasured = (await requests(context, fresh.baseUrl, [{ url: archiveUrl(fresh.baseUrl, rangeCount, seed), method: 'GET', headers: { range: `bytes=${offset}-` } }]))[0]!;
    } finally {
      await fresh.stop();
    }

    const wholeSeconds = whole.totalMs / 1000;
    const ratio = (m: RequestOutcome) => (m.status === 206 && whole.completed ? m.totalMs / whole.totalMs : null);
    const expectedRangeBytes = whole.bytes - offset;
    for (const [label, m] of [
      ['remembered', rangeRemembered],
      ['measured', rangeMeasured],
    ] as const) {
      if (m.status !== 206 || m.bytes !== expectedRangeBytes) notes.push(`range (${label}): status ${m.status}, ${m.bytes} bytes (expected 206 and ${expectedRangeBytes})`);
    }
    const ttfbs = measured.map((m) => m.ttfbMs).filter((v): v is number => v !== null);
    const met = [rangeRemembered, rangeMeasured].every((m) => (ratio(m) ?? 1) <= RANGE_GOAL_RATIO);
    return {
      id: this.id,
      title: this.title,
      setup: `GET /archives?count=N&seed=${seed}; one client, requests one after another. Ranges: Range: bytes=${formatInteger(offset)}- (90 % of ${formatInteger(whole.bytes)} bytes).`,
      tables: [
        {
          caption: 'Time to first byte',
          headers: ['request', 'Content-Length', 'first byte (ms)'],
          rows: [
            ['1,000 PDFs (measured before sending), median of 3', 'yes', formatMilliseconds(ttfbs.length > 0 ? median(ttfbs) : null)],
            ...largeCounts.map((count, k) => [`${formatInteger(count)} PDFs`, 'no (chunked)', formatMilliseconds(chunked[k]?.ttfbMs ?? null)]),
          ],
        },
        {
          caption: `A range from 90 % of ${formatInteger(rangeCount)} PDFs`,
          headers: ['request', 'status', 'bytes', 'time (s)', 'vs whole archive', 'goal'],
          rows: [
            ['whole archive (remembers its length)', String(whole.status), formatInteger(whole.bytes), formatSeconds(wholeSeconds), '1.00×', ''],
            ...([
              ['range, length remembered', rangeRemembered],
              ['range, fresh server (length measured first)', rangeMeasured],
            ] as const).map(([label, m]) => [
              label,
              String(m.status),
              formatInteger(m.bytes),
              formatSeconds(m.totalMs / 1000),
              formatRatio(ratio(m), 2),
              `≤ ${RANGE_GOAL_RATIO}× (${(ratio(m) ?? 1) <= RANGE_GOAL_RATIO ? 'met' : 'not met'})`,
            ]),
          ],
        },
      ],
      notes: [
        ...notes,
        'A range is made from the archive’s start today (the bytes before it made and dropped); an unknown length costs one more pass. Seeking is the next stage (docs/transfer-design.md).',
      ],
      goals: [
        {
          figure: `Range starting at 90 % of a ${formatInteger(rangeCount)}-document archive`,
          goal: `≤ ${RANGE_GOAL_RATIO}× the whole archive's time`,
          measured: `${formatRatio(ratio(rangeRemembered), 2)} (length remembered), ${formatRatio(ratio(rangeMeasured), 2)} (measured first)`,
          met: settings.quick ? null : met,
        },
      ],
    };
  },
};
