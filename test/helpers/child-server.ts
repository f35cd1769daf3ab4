/** The built server as a process of its own (`node dist/src/server.js`, as `npm start` runs it): for signals and process limits. */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';
import { send } from './server.js';

export interface ChildServer {
  child: ChildProcess;
  origin: string;
  /** Parsed JSON log lines so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string | null>;
}

/**
 * Starts the server on a free port of 127.0.0.1 with `env` and waits until /readyz answers 200.
 * `shellPrefix` runs before it in sh (e.g. `ulimit -n 256`); the server is exec'd, so signals reach it.
 */
export async function startChildServer(env: Record<string, string> = {}, shellPrefix = ''): Promise<ChildServer> {
  const port = await freePort();
  const command = `${shellPrefix ? `${shellPrefix} && ` : ''}exec "${process.execPath}" dist/src/server.js`;
  const child = spawn('sh', ['-c', command], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const origin = `http://127.0.0.1:${port}`;
  let ready = 0;
  for (let attempt = 0; attempt < 150 && ready !== 200; attempt++) {
    ready = (await send(origin, 'GET', '/readyz').catch(() => ({ status: 0 }))).status;
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (ready !== 200) {
    child.kill('SIGKILL');
    throw new Error(`the server process did not become ready on ${origin}`);
  }
  return { child, origin, logs, exited };
}
