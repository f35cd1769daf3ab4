/** The real server as a child process, and downloads from it with curl. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestLike } from './files.js';
import { FIDELITY_DIR, ToolFailure, clip, describeResult, requireTool, run } from './process.js';

const PROJECT_ROOT = join(FIDELITY_DIR, '..', '..');
/** The built server; ZIPPER_FIDELITY_SERVER overrides it (e.g. to point at a stand-in). */
const SERVER_ENTRY = process.env.ZIPPER_FIDELITY_SERVER ?? join(PROJECT_ROOT, 'dist', 'src', 'server.js');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** The last lines the server wrote (stdout + stderr). */
  output(): string;
  /** Parsed pino lines with level >= 50 (error, fatal). */
  errors(): LogLine[];
}

/**
 * Starts `node dist/src/server.js` on a free port of 127.0.0.1, waits until GET /readyz is 200
 * and stops it (SIGTERM, then SIGKILL) at teardown.
 */
export async function startServer(t: TestLike, env: Record<string, string> = {}): Promise<RunningServer> {
  try {
    statSync(SERVER_ENTRY);
  } catch {
    throw new Error(`${SERVER_ENTRY} does not exist: run "npm run build" first (npm run test:fidelity does)`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const errors: LogLine[] = [];
  let partial = '';
  const onData = (b: Buffer) => {
    const text = partial + b.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 300) lines.shift();
      if (line.startsWith('{')) {
        try {
          const parsed = JSON.parse(line) as LogLine;
          if (typeof parsed.level === 'number' && parsed.level >= 50) errors.push(parsed);
        } catch {
          /* not JSON */
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited: string | null = null;
  const exitPromise = new Promise<void>((res) =>
    child.on('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exit ${code}`;
      res();
    }),
  );
  t.teardown(async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
  });
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => lines.join('\n') + (partial ? `\n${partial}` : ''),
    errors: () => [...errors],
  };
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server ${SERVER_ENTRY} ${exited} before it was ready:\n${clip(server.output())}`);
    try {
      const res = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return server;
      last = `GET /readyz → ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready after 30 s (${last}):\n${clip(server.output())}`);
}

export interface Download {
  file: string;
  bytes: number;
  status: number;
  headers: Record<string, string>;
  seconds: number;
}

/**
 * POST `body` as JSON to `url` with curl (`--fail-with-body`: curl exits non-zero on an HTTP
 * error and on a truncated transfer, exit 18), saving the response to `file`.
 */
export async function curlPost(url: string, body: unknown, file: string): Promise<Download> {
  requireTool('curl', 'curl');
  const headerFile = `${file}.headers`;
  const started = Date.now();
  const r = await run(
    'curl',
    ['-sS', '--fail-with-body', '-o', file, '-D', headerFile, '-X', 'POST', '-H', 'content-type: application/json', '--data-binary', '@-', url],
    { input: JSON.stringify(body), timeoutMs: 300_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  let rawHeaders = '';
  try {
    rawHeaders = readFileSync(headerFile, 'latin1');
  } catch {
    /* no headers */
  }
  // the last response block (a 100-continue may precede it)
  const blocks = rawHeaders.split(/\r?\n\r?\n/).filter((b) => b.trim());
  const lastBlock = blocks[blocks.length - 1] ?? '';
  const [statusLine = '', ...headerLines] = lastBlock.split(/\r?\n/);
  const status = Number(/^HTTP\/\S+ (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of headerLines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  if (r.code !== 0) {
    let responseBody = '';
    try {
      responseBody = readFileSync(file, 'utf8').slice(0, 2000);
    } catch {
      /* nothing saved */
    }
    throw new ToolFailure(`curl POST ${url} ${JSON.stringify(body)} failed (status ${status}):\n${describeResult(r)}${responseBody ? `\nresponse body: ${responseBody}` : ''}`, r);
  }
  return { file, bytes: statSync(file).size, status, headers, seconds };
}
