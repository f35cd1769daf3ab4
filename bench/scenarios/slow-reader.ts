/**
 * Scenario 9: a client reading at 1 MB/s for 30 s. Backpressure must slow generation, so server
 * RSS stays flat; after the client leaves, the server must stop (no CPU spent for nobody).
 * Both engines run side by side (two servers, two clients): at 1 MB/s neither needs much CPU.
 */
import { formatInteger, formatMegabytes, MB } from '../lib/format.js';
import { runHttpClient, type ClientOutcome } from '../lib/http-client.js';
import { readCpuSeconds, RssSampler, type RssSample } from '../lib/rss.js';
import type { ServerProcess } from '../lib/server-process.js';
import { pick } from '../lib/settings.js';
import { ENGINE_LABEL, startZipperServer, type Engine } from '../lib/zipper-server.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const READ_BYTES_PER_SECOND = 1 * MB;
const SAMPLE_INTERVAL_MS = 1000;
/** After the client has gone: the server should be idle by then. */
const AFTER_DISCONNECT_MS = 3000;
/** Far more than 30 s at 1 MB/s can take: the client leaves mid-archive. */
const DOCUMENTS = 1_000_000;

interface SlowRead {
  engine: Engine;
  samples: RssSample[];
  /** Bytes the client had received at each second. */
  receivedBytes: number[];
  outcome: ClientOutcome;
  cpuSecondsAfterDisconnect: number;
}

async function readSlowly(context: ScenarioContext, server: ServerProcess, engine: Engine, durationMs: number): Promise<SlowRead> {
  const receivedBytes: number[] = [];
  const sampler = new RssSampler(server.pid, SAMPLE_INTERVAL_MS);
  const outcome = await runHttpClient(
    {
      requests: [{ url: `${server.baseUrl}/archives`, method: 'POST', body: { count: DOCUMENTS, seed: context.settings.seed } }],
      readBytesPerSecond: READ_BYTES_PER_SECOND,
      timeLimitMs: durationMs,
      progressIntervalMs: SAMPLE_INTERVAL_MS,
    },
    (progress) => receivedBytes.push(progress.bytes),
  );
  const samples = sampler.stop();
  const cpuAtDisconnect = readCpuSeconds(server.pid);
  await new Promise((resolve) => setTimeout(resolve, AFTER_DISCONNECT_MS));
  return { engine, samples, receivedBytes, outcome, cpuSecondsAfterDisconnect: readCpuSeconds(server.pid) - cpuAtDisconnect };
}

function rssAt(read: SlowRead, second: number): number | null {
  return read.samples[second - 1]?.rssBytes ?? null;
}

export const slowReader: Scenario = {
  id: 'slow-reader',
  title: 'Client reading at 1 MB/s: server RSS over time',
  async run(context) {
    const durationMs = pick(context.settings, 30_000, 10_000);
    const engines: Engine[] = ['zipper', 'archiver'];
    context.log(`  both engines side by side, ${durationMs / 1000} s at 1 MB/s`);
    const servers = await Promise.all(engines.map((engine) => startZipperServer(context.settings, engine)));
    let reads: SlowRead[];
    try {
      reads = await Promise.all(servers.map((server, k) => readSlowly(context, server, engines[k]!, durationMs)));
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    const [ours, stock] = reads as [SlowRead, SlowRead];
    const seconds = Math.min(ours.samples.length, stock.samples.length);
    const overTime = Array.from({ length: seconds }, (_, k) => [
      String(k + 1),
      formatMegabytes(rssAt(ours, k + 1)),
      formatMegabytes(ours.receivedBytes[k]),
      formatMegabytes(rssAt(stock, k + 1)),
      formatMegabytes(stock.receivedBytes[k]),
    ]);
    // From 5 s on: the first seconds are start-up and the first buffers filling.
    const settled = (read: SlowRead) => read.samples.slice(4).map((s) => s.rssBytes);
    const summary = (read: SlowRead) => {
      const values = settled(read);
      const received = read.outcome.requests[0]?.bytes ?? 0;
      return {
        min: values.length > 0 ? Math.min(...values) : null,
        max: values.length > 0 ? Math.max(...values) : null,
        growth: values.length > 1 ? values[values.length - 1]! - values[0]! : null,
        rate: received / (read.outcome.wallMs / 1000),
        cpu: read.cpuSecondsAfterDisconnect,
      };
    };
    const a = summary(ours);
    const b = summary(stock);
    return {
      id: this.id,
      title: this.title,
      setup:
        `POST /archives {"count": ${formatInteger(DOCUMENTS)}} read at 1 MB/s (the client pauses its socket when ahead) for ${durationMs / 1000} s, ` +
        'then it disconnects. Server RSS (VmRSS) sampled every second.',
      tables: [
        {
          caption: `${this.title}: summary (from second 5 on)`,
          headers: ['figure', ENGINE_LABEL.zipper, ENGINE_LABEL.archiver],
          rows: [
            ['client read rate (MB/s)', formatMegabytes(a.rate), formatMegabytes(b.rate)],
            ['server RSS min (MB)', formatMegabytes(a.min), formatMegabytes(b.min)],
            ['server RSS max (MB)', formatMegabytes(a.max), formatMegabytes(b.max)],
            ['server RSS growth, second 5 → end (MB)', formatMegabytes(a.growth), formatMegabytes(b.growth)],
            [`server CPU in the ${AFTER_DISCONNECT_MS / 1000} s after the client left (s)`, a.cpu.toFixed(2), b.cpu.toFixed(2)],
          ],
        },
        {
          caption: `${this.title}: every second`,
          headers: ['second', `${ENGINE_LABEL.zipper}: RSS (MB)`, 'received (MB)', `${ENGINE_LABEL.archiver}: RSS (MB)`, 'received (MB)'],
          rows: overTime,
        },
      ],
      notes: [
        'No raw column: the rate is the client\'s. Flat means the RSS growth stays near zero while the client keeps reading; ' +
          'CPU after the client left near zero means generation stopped on disconnect.',
      ],
      goals: [],
    };
  },
};
