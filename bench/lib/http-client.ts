/**
 * The benchmark's HTTP client, run in a separate process (http-client-process.ts) so reading and
 * discarding the bytes never shares the server's event loop, nor the runner's.
 */
import { runChildTask } from './child-task.js';

export interface ClientRequestSpec {
  url: string;
  /** HEAD: no body; its totalMs is the whole exchange (status line and headers). */
  method: 'GET' | 'HEAD' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  /** Extra request headers (a Range, …). */
  headers?: Record<string, string>;
  /** Disconnect once this many body bytes have arrived (a download cut part way); bytes past it are not counted. */
  stopAfterBytes?: number;
}

export interface ClientJob {
  /** Started together, each on its own connection (or one after another: `sequential`). */
  requests: ClientRequestSpec[];
  /** One request at a time, `pauseBetweenMs` apart (time-to-first-byte samples). */
  sequential?: boolean;
  pauseBetweenMs?: number;
  /** GET this first, untimed: warms the client's own HTTP stack so the first sample is the server's cold start, not ours. */
  warmUpUrl?: string;
  /** Read at most this many bytes per second per request (a slow client); unlimited when absent. */
  readBytesPerSecond?: number;
  /** Disconnect as soon as the first body byte arrives (time-to-first-byte runs). */
  stopAfterFirstByte?: boolean;
  /** Every request still open is cut at this point; the job always ends. */
  timeLimitMs: number;
  /** Report received bytes this often (for over-time tables). */
  progressIntervalMs?: number;
}

export interface RequestOutcome {
  status: number | null;
  /** The response's Content-Length header (null: none, e.g. chunked). */
  contentLength: number | null;
  bytes: number;
  /** From sending the request to the first body byte. */
  ttfbMs: number | null;
  totalMs: number;
  /** The whole body arrived and the connection ended cleanly. */
  completed: boolean;
  /** Entry count read from the ZIP's end records (null: not a complete ZIP). */
  zipEntries: number | null;
  /** Why the request ended early, if it did. */
  error: string | null;
}

export interface ClientOutcome {
  /** From the first request sent to the last one ended. */
  wallMs: number;
  requests: RequestOutcome[];
}

export interface ClientProgress {
  elapsedMs: number;
  bytes: number;
}

const CLIENT_SCRIPT = new URL('./http-client-process.js', import.meta.url);
/** Margin for the child to start and report after its own time limit. */
const CHILD_OVERHEAD_MS = 30_000;

export function runHttpClient(job: ClientJob, onProgress?: (progress: ClientProgress) => void): Promise<ClientOutcome> {
  return runChildTask<ClientJob, ClientOutcome, ClientProgress>(CLIENT_SCRIPT, job, {
    timeoutMs: job.timeLimitMs + CHILD_OVERHEAD_MS,
    onProgress,
  });
}
