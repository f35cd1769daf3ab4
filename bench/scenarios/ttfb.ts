/**
 * Scenario 6: time to first byte at the client, for count 10 and count 10,000,000. The client
 * disconnects at the first byte (the server must then stop generating), so 10M costs nothing.
 */
import { formatInteger, formatMilliseconds, formatRatio } from '../lib/format.js';
import { runHttpClient } from '../lib/http-client.js';
import { median } from '../lib/raw-limits.js';
import { startZipperServer, type Engine } from '../lib/zipper-server.js';
import { atMost, goalCell, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const SAMPLES = 5;
const LARGE_COUNT = 10_000_000;
/** Gives the server time to notice the disconnect and stop before the next sample. */
const PAUSE_BETWEEN_MS = 300;

interface TtfbSamples {
  coldSmallMs: number | null;
  smallMs: number[];
  largeMs: number[];
  failures: string[];
}

async function sampleEngine(context: ScenarioContext, engine: Engine): Promise<TtfbSamples> {
  context.log(`  ${engine}: first byte of count 10 and ${formatInteger(LARGE_COUNT)}`);
  const server = await startZipperServer(context.settings, engine);
  const archive = (count: number) => ({ url: `${server.baseUrl}/archives`, method: 'POST' as const, body: { count, seed: context.settings.seed } });
  const counts = [10, ...Array<number>(SAMPLES).fill(10), ...Array<number>(SAMPLES).fill(LARGE_COUNT)];
  try {
    const outcome = await runHttpClient({
      requests: counts.map(archive),
      sequential: true,
      pauseBetweenMs: PAUSE_BETWEEN_MS,
      warmUpUrl: `${server.baseUrl}/healthz`,
      stopAfterFirstByte: true,
      timeLimitMs: 120_000,
    });
    const failures: string[] = [];
    const firstByte = outcome.requests.map((request, k) => {
      if (request.status === 200 && request.ttfbMs !== null) return request.ttfbMs;
      failures.push(`count ${counts[k]}: status ${request.status}, ${request.error}`);
      return null;
    });
    const present = (values: Array<number | null>) => values.filter((v): v is number => v !== null);
    return {
      coldSmallMs: firstByte[0] ?? null,
      smallMs: present(firstByte.slice(1, 1 + SAMPLES)),
      largeMs: present(firstByte.slice(1 + SAMPLES)),
      failures,
    };
  } finally {
    await server.stop();
  }
}

const worst = (values: number[]) => (values.length > 0 ? Math.max(...values) : null);
const middle = (values: number[]) => (values.length > 0 ? median(values) : null);

export const timeToFirstByte: Scenario = {
  id: 'ttfb',
  title: 'Time to first byte',
  async run(context) {
    const ours = await sampleEngine(context, 'zipper');
    const stock = await sampleEngine(context, 'archiver');
    const loopback = await context.raw.loopback(1);
    const oursWorstWarm = worst([...ours.smallMs, ...ours.largeMs]);
    const met = ours.failures.length > 0 ? null : atMost(oursWorstWarm, GOALS.ttfbMs);
    const row = (figure: string, pickValue: (s: TtfbSamples) => number | null, goal: string) => {
      const a = pickValue(ours);
      const b = pickValue(stock);
      return [figure, formatMilliseconds(a), formatMilliseconds(b), formatMilliseconds(loopback.ttfbMs), formatRatio(a, b), formatRatio(a, loopback.ttfbMs), goal];
    };
    const large = formatInteger(LARGE_COUNT);
    return {
      id: this.id,
      title: this.title,
      setup:
        `POST /archives {"count": 10} and {"count": ${large}}: milliseconds from sending the request to the first body byte at the client ` +
        `(a new connection each time, 300 ms apart; the client disconnects at the first byte). One server per engine; its first request is shown apart (cold JIT).`,
      tables: [
        {
          caption: this.title,
          headers: ['figure', 'this service', 'stock archiver', 'raw limit (loopback server)', 'ours / stock', 'ours / raw', 'goal'],
          rows: [
            row('count 10, first request after start (ms)', (s) => s.coldSmallMs, ''),
            row(`count 10, median of ${SAMPLES} (ms)`, (s) => middle(s.smallMs), ''),
            row(`count 10, worst of ${SAMPLES} (ms)`, (s) => worst(s.smallMs), ''),
            row(`count ${large}, median of ${SAMPLES} (ms)`, (s) => middle(s.largeMs), ''),
            row(`count ${large}, worst of ${SAMPLES} (ms)`, (s) => worst(s.largeMs), goalCell(`${GOAL_TEXT.ttfbMs} (worst of both counts)`, met)),
          ],
        },
      ],
      notes: [
        'Raw limit: median first byte of a 64 KiB response from the minimal node:http server, same client.',
        ...ours.failures.map((f) => `this service: ${f}`),
        ...stock.failures.map((f) => `stock archiver: ${f}`),
      ],
      goals: [
        {
          figure: 'time to first byte (count 10 and 10M, warm server)',
          goal: GOAL_TEXT.ttfbMs,
          measured: `worst ${formatMilliseconds(oursWorstWarm)} ms (first request after start: ${formatMilliseconds(ours.coldSmallMs)} ms)`,
          met,
        },
      ],
    };
  },
};
