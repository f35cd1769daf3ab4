/** Client shapes the tests need besides a whole exchange: a download held open, or left part-way. */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import Fastify from 'fastify';
import type { Test } from 'tap';

export interface HeldDownload {
  res: IncomingMessage;
  /** Reads the rest of the body to its end. */
  drain(): Promise<Buffer>;
  /** Leaves: the server sees its client go. */
  abort(): void;
}

/** POSTs `body` as JSON and keeps the response open, reading nothing until `drain` is called. */
export function holdDownload(origin: string, body: unknown, headers: Record<string, string> = {}, path = '/archives'): Promise<HeldDownload> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.pause();
      resolve({
        res,
        abort: () => req.destroy(),
        drain: () =>
          new Promise((done, failed) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => done(Buffer.concat(chunks)));
            res.on('error', failed);
            res.resume();
          }),
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** POSTs `body` as JSON, reads until more than `bytes` arrived, then leaves. Errors before that reject. */
export function leaveAfter(origin: string, path: string, body: unknown, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let left = false;
    const req = httpRequest(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > bytes && !left) {
          left = true;
          req.destroy();
          resolve();
        }
      });
      res.on('error', () => undefined); // the response breaks when we leave
    });
    req.on('error', (error) => (left ? undefined : reject(error)));
    req.end(JSON.stringify(body));
  });
}

/** The value of one series (name with its labels, as exposed) in Prometheus text; NaN when absent. */
export function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

/**
 * Serves `stream()` from a bare Fastify app as `contentType` and downloads it: 'complete' when the
 * response ended normally, 'broken' when the transfer was cut. The status line must have been 200.
 */
export async function downloadOutcome(t: Test, contentType: string, stream: () => Readable): Promise<'complete' | 'broken'> {
  const app = Fastify({ logger: false });
  app.get('/archive', (_request, reply) => reply.type(contentType).send(stream()));
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve) => {
    httpRequest(`http://127.0.0.1:${port}/archive`, (res) => {
      t.equal(res.statusCode, 200, 'the status line was already sent');
      res.on('data', () => undefined);
      res.on('end', () => resolve('complete'));
      res.on('error', () => resolve('broken'));
      res.on('aborted', () => resolve('broken'));
    })
      .on('error', () => resolve('broken'))
      .end();
  });
}
