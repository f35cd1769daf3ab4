import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export interface RunningServer {
  app: FastifyInstance;
  origin: string;
  close(): Promise<void>;
}

/**
 * The real server, listening on 127.0.0.1 on a free port, configured as from the environment.
 * It shares this process's event loop with the tests' own parsers, whose synchronous decoding
 * would trip load shedding on event-loop delay; so shedding is off unless a test turns it on.
 */
export async function startServer(env: Record<string, string> = {}, options: AppOptions = {}): Promise<RunningServer> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'warn', ZIPPER_MAX_EVENT_LOOP_DELAY_MS: '0', ...env }), options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain HTTP exchange over a real socket, returning the raw body bytes. */
export function send(
  origin: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = httpRequest(
      `${origin}${path}`,
      {
        method,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function postArchive(origin: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return send(origin, 'POST', '/archives', body, headers);
}
