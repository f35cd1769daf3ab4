/**
 * One measurement of POST /archives: a fresh server (one engine), a small warm-up request, then
 * the measured request(s) from the child-process client, then the server's peak RSS.
 */
import { runHttpClient, type RequestOutcome } from './http-client.js';
import type { BenchSettings } from './settings.js';
import { startZipperServer, type Engine } from './zipper-server.js';

export type ArchiveRequestBody = Record<string, unknown> & { count: number };

export interface ArchiveRun {
  engine: Engine;
  body: ArchiveRequestBody;
  /** Identical requests sent at once (concurrent clients). */
  clients?: number;
  /** Extra server environment (ZIPPER_CONCURRENCY …). */
  env?: Record<string, string>;
}

export interface ArchiveMeasurement {
  engine: Engine;
  /** Documents requested over all clients (counted only when every request completed). */
  documents: number;
  /** ZIP entries of all archives, from their end records (null if any archive was incomplete). */
  entries: number | null;
  bytes: number;
  seconds: number;
  /** Slowest client's time to first byte. */
  ttfbMs: number | null;
  documentsPerSecond: number | null;
  entriesPerSecond: number | null;
  bytesPerSecond: number | null;
  /** Server RSS after the warm-up, before the measured request. */
  idleRssBytes: number;
  peakRssBytes: number;
  completed: boolean;
  /** First failure, with the server's last output, when not completed. */
  failure: string | null;
}

/** Warm-up size: enough to JIT the hot paths, small enough to leave no trace in the peak RSS. */
const WARM_UP_COUNT = 1000;

/** Generous bound per measurement: 5 min plus 0.2 ms per document (10M documents: ~38 min). */
function timeLimitFor(documents: number): number {
  return 300_000 + documents * 0.2;
}

function warmUpBody(body: ArchiveRequestBody): ArchiveRequestBody {
  const { targetSize: _ignored, ...rest } = body;
  return { ...rest, count: Math.min(body.count, WARM_UP_COUNT) };
}

function describeFailure(outcomes: RequestOutcome[]): string | null {
  const failed = outcomes.find((outcome) => !outcome.completed || outcome.status !== 200 || outcome.zipEntries === null);
  if (!failed) return null;
  return `status ${failed.status}, ${failed.bytes} bytes, ${failed.error ?? 'no ZIP end record'}`;
}

export async function measureArchive(settings: BenchSettings, run: ArchiveRun): Promise<ArchiveMeasurement> {
  const clients = run.clients ?? 1;
  const server = await startZipperServer(settings, run.engine, run.env);
  try {
    const url = `${server.baseUrl}/archives`;
    const body = { seed: settings.seed, ...run.body };
    const warmUp = await runHttpClient({ requests: [{ url, method: 'POST', body: warmUpBody(body) }], timeLimitMs: 120_000 });
    const warmUpFailure = describeFailure(warmUp.requests);
    if (warmUpFailure) throw new Error(`warm-up failed: ${warmUpFailure}`);
    const idleRssBytes = server.memory().rssBytes;

    const documents = body.count * clients;
    const outcome = await runHttpClient({
      warmUpUrl: `${server.baseUrl}/healthz`,
      requests: Array.from({ length: clients }, () => ({ url, method: 'POST' as const, body })),
      timeLimitMs: timeLimitFor(documents),
    });
    const peakRssBytes = server.memory().peakRssBytes;
    const failure = describeFailure(outcome.requests);
    const seconds = outcome.wallMs / 1000;
    const bytes = outcome.requests.reduce((sum, r) => sum + r.bytes, 0);
    const entries = failure ? null : outcome.requests.reduce((sum, r) => sum + (r.zipEntries ?? 0), 0);
    const ttfbs = outcome.requests.map((r) => r.ttfbMs).filter((ms): ms is number => ms !== null);
    return {
      engine: run.engine,
      documents,
      entries,
      bytes,
      seconds,
      ttfbMs: ttfbs.length > 0 ? Math.max(...ttfbs) : null,
      documentsPerSecond: failure ? null : documents / seconds,
      entriesPerSecond: entries === null ? null : entries / seconds,
      bytesPerSecond: bytes / seconds,
      idleRssBytes,
      peakRssBytes,
      completed: failure === null,
      failure: failure === null ? null : `${failure}; server said: ${server.outputTail.slice(-500) || '(nothing)'}`,
    };
  } finally {
    await server.stop();
  }
}
