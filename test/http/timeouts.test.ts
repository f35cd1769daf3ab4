import { request as httpRequest } from 'node:http';
import t from 'tap';
import { startServer } from '../helpers/server.js';
import { holdDownload } from '../helpers/downloads.js';
import { parseRaw, rawSend, within } from '../helpers/raw-http.js';
import { readZip } from '../helpers/zip.js';

// Short deadlines so the test is quick; the defaults (README) are the same rules, longer.
const server = await startServer({
  ZIPPER_HEADERS_TIMEOUT_MS: '500',
  ZIPPER_BODY_TIMEOUT_MS: '1000',
  ZIPPER_IDLE_TIMEOUT_MS: '1500',
  ZIPPER_KEEP_ALIVE_TIMEOUT_MS: '300',
});
t.teardown(() => server.close());

/** A guard, not a timing assertion: a socket the server never closes makes the test fail instead of hang. */
const GUARD_MS = 20_000;

t.test('partial headers: 408 problem+json, connection closed', async (t) => {
  const exchange = await rawSend(server.origin, 'POST /archives HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
  const answer = await within(exchange.closed, GUARD_MS, 'still open');
  const response = parseRaw(answer);
  t.equal(response.status, 408, answer.slice(0, 40));
  t.equal(response.headers['content-type'], 'application/problem+json');
  t.match(JSON.parse(response.body), { status: 408, title: 'Request Timeout' });
});

t.test('a body shorter than its Content-Length: 408, connection closed', async (t) => {
  const exchange = await rawSend(server.origin, 'POST /archives HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"count":1');
  const answer = await within(exchange.closed, GUARD_MS, 'still open');
  t.equal(parseRaw(answer).status, 408, answer.slice(0, 40));
});

t.test('a connection that sends nothing is closed', async (t) => {
  const exchange = await rawSend(server.origin);
  const answer = await within(exchange.closed, GUARD_MS, 'still open');
  t.not(answer, 'still open');
});

t.test('a kept-alive connection waiting for its next request is closed', async (t) => {
  const exchange = await rawSend(server.origin, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const answer = await within(exchange.closed, GUARD_MS, 'still open');
  t.equal(parseRaw(answer).status, 200, 'the request was answered, then the idle connection closed');
});

t.test('a healthy download that outlasts every deadline is never cut', async (t) => {
  // ~40 MB read at ~10 MB/s: several seconds, longer than the headers, body and idle timeouts,
  // while bytes move at least every 100 ms.
  const body = await new Promise<Buffer>((resolve, reject) => {
    const req = httpRequest(`${server.origin}/archives`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let sincePause = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        sincePause += chunk.length;
        if (sincePause >= 1 << 20) {
          sincePause = 0;
          res.pause();
          setTimeout(() => res.resume(), 100);
        }
      });
      res.on('end', () => (res.complete ? resolve(Buffer.concat(chunks)) : reject(new Error('cut'))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ count: 40, targetSize: '40MB', seed: 9 }));
  });
  t.ok(body.length > 39_000_000, `${body.length} bytes`);
  t.equal((await readZip(body)).length, 41, 'the whole archive reads back');
});

t.test('a client that stops reading is cut after the idle timeout, and counted as gone', async (t) => {
  const held = await holdDownload(server.origin, { count: 400_000, seed: 10 });
  const id = held.res.headers['x-archive-id'] as string;
  // The client reads nothing (its socket would not even see the close): ask the server.
  let progress = server.app.archiveTracker.progress(id);
  for (let waited = 0; waited < GUARD_MS && progress?.state === 'streaming'; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    progress = server.app.archiveTracker.progress(id);
  }
  t.equal(progress?.state, 'client_aborted', 'the server closed the stuck connection');
  t.ok((progress?.documentsWritten ?? 0) < 400_000, 'generation stopped');
  held.abort();
});
