/** Child process: runs a ClientJob with node:http, discarding the body bytes (see http-client.ts). */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { serveChildTask } from './child-task.js';
import type { ClientJob, ClientOutcome, ClientProgress, ClientRequestSpec, RequestOutcome } from './http-client.js';
import { ZIP_TAIL_BYTES, zipEntryCount } from './zip-tail.js';

interface RunningRequest {
  done: Promise<RequestOutcome>;
  bytes: () => number;
  cut: (reason: string) => void;
}

/** Pauses the response whenever it is ahead of `bytesPerSecond` since the request was sent. */
function throttle(response: IncomingMessage, bytesPerSecond: number, received: () => number, startedAt: number): void {
  response.on('data', () => {
    const dueMs = (received() / bytesPerSecond) * 1000 - (performance.now() - startedAt);
    if (dueMs <= 0 || response.isPaused()) return;
    response.pause();
    setTimeout(() => response.resume(), dueMs);
  });
}

function startRequest(spec: ClientRequestSpec, job: Pick<ClientJob, 'stopAfterFirstByte' | 'readBytesPerSecond'>): RunningRequest {
  const body = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
  const startedAt = performance.now();
  let bytes = 0;
  let firstByteAt: number | null = null;
  let tail = Buffer.alloc(0);
  let status: number | null = null;
  let contentLength: number | null = null;
  let error: string | null = null;
  let request: ClientRequest;

  const done = new Promise<RequestOutcome>((resolve) => {
    const finish = (completed: boolean) =>
      resolve({
        status,
        contentLength,
        bytes,
        ttfbMs: firstByteAt === null ? null : firstByteAt - startedAt,
        totalMs: performance.now() - startedAt,
        completed,
        zipEntries: completed ? zipEntryCount(tail, bytes) : null,
        error: completed ? null : (error ?? 'connection closed early'),
      });
    request = httpRequest(spec.url, {
      method: spec.method,
      // A fresh connection per request: no pooling between measurements.
      agent: false,
      headers: { ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}), ...spec.headers },
    });
    request.on('error', (cause) => {
      error ??= cause.message;
      finish(false);
    });
    request.on('response', (response) => {
      status = response.statusCode ?? null;
      const lengthHeader = response.headers['content-length'];
      contentLength = lengthHeader === undefined ? null : Number(lengthHeader);
      response.on('data', (received: Buffer) => {
        // A download cut part way keeps exactly its first stopAfterBytes bytes (what a client resuming would hold).
        const cutHere = spec.stopAfterBytes !== undefined && bytes + received.length >= spec.stopAfterBytes;
        const chunk = cutHere ? received.subarray(0, spec.stopAfterBytes! - bytes) : received;
        if (firstByteAt === null && chunk.length > 0) {
          firstByteAt = performance.now();
          if (job.stopAfterFirstByte) {
            error = 'stopped after the first byte';
            request.destroy();
          }
        }
        bytes += chunk.length;
        // Keep only the end of the archive, copied so no large chunk stays referenced.
        tail = chunk.length >= ZIP_TAIL_BYTES ? Buffer.from(chunk.subarray(-ZIP_TAIL_BYTES)) : Buffer.concat([tail, chunk]).subarray(-ZIP_TAIL_BYTES);
        if (cutHere && error === null) {
          error = `stopped after ${spec.stopAfterBytes} bytes`;
          request.destroy();
        }
      });
      if (job.readBytesPerSecond) throttle(response, job.readBytesPerSecond, () => bytes, startedAt);
      response.on('error', (cause) => {
        error ??= cause.message;
      });
      response.on('close', () => finish(response.complete && error === null));
    });
    request.end(body);
  });
  return {
    done,
    bytes: () => bytes,
    cut: (reason) => {
      error ??= reason;
      request.destroy();
    },
  };
}

serveChildTask<ClientJob, ClientOutcome, ClientProgress>(async (job, reportProgress) => {
  if (job.warmUpUrl) await startRequest({ url: job.warmUpUrl, method: 'GET' }, {}).done;
  const startedAt = performance.now();
  const running: RunningRequest[] = [];
  let timedOut = false;
  const received = () => running.reduce((sum, r) => sum + r.bytes(), 0);
  const cutAll = setTimeout(() => {
    timedOut = true;
    running.forEach((r) => r.cut(`time limit ${job.timeLimitMs} ms`));
  }, job.timeLimitMs);
  const progress = job.progressIntervalMs
    ? setInterval(() => reportProgress({ elapsedMs: performance.now() - startedAt, bytes: received() }), job.progressIntervalMs)
    : null;
  let requests: RequestOutcome[];
  if (job.sequential) {
    requests = [];
    for (const spec of job.requests) {
      if (timedOut) break;
      const request = startRequest(spec, job);
      running.push(request);
      requests.push(await request.done);
      await new Promise((resolve) => setTimeout(resolve, job.pauseBetweenMs ?? 0));
    }
  } else {
    running.push(...job.requests.map((spec) => startRequest(spec, job)));
    requests = await Promise.all(running.map((r) => r.done));
  }
  clearTimeout(cutAll);
  if (progress) clearInterval(progress);
  return { wallMs: performance.now() - startedAt, requests };
});
