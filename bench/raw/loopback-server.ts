/**
 * Raw limit (a): the smallest useful HTTP server. GET /bytes?n=N streams N bytes by writing one
 * precomputed 64 KiB buffer again and again (honouring backpressure): the most any server on
 * this machine can push through loopback to the bench client.
 */
import { createServer, type ServerResponse } from 'node:http';
import { randomFillSync } from 'node:crypto';

const BLOCK = randomFillSync(Buffer.allocUnsafe(64 * 1024));

/** Resolves on 'drain' or 'close', whichever comes first, and leaves no listener behind. */
function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

async function sendBytes(response: ServerResponse, total: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  let sent = 0;
  while (sent < total && !response.destroyed) {
    const block = total - sent >= BLOCK.length ? BLOCK : BLOCK.subarray(0, total - sent);
    sent += block.length;
    if (!response.write(block)) await drainedOrClosed(response);
  }
  response.end();
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://loopback');
  if (url.pathname === '/healthz') {
    response.end('ok');
  } else if (url.pathname === '/bytes') {
    sendBytes(response, Number(url.searchParams.get('n') ?? 0)).catch(() => response.destroy());
  } else {
    response.statusCode = 404;
    response.end();
  }
});

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
