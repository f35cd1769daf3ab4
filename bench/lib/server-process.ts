/**
 * A server under test in its own process, on a free loopback port: started fresh for every
 * measurement so its peak RSS (VmHWM) belongs to that measurement alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readProcessMemory, type ProcessMemory } from './rss.js';

export const LOOPBACK = '127.0.0.1';

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
/** Server output kept for error messages (it must be read anyway, or a full pipe would block the server). */
const OUTPUT_TAIL_CHARS = 4_000;

export interface ServerProcessOptions {
  script: URL;
  env: Record<string, string>;
  /** GET path answering 200 once the server listens. */
  readyPath: string;
  nodeArgs?: string[];
}

export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, LOOPBACK);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port from the probe listener');
  return address.port;
}

/** The parent's environment without ZIPPER_* settings: each run sets exactly the ones it measures. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('ZIPPER_')) env[name] = value;
  }
  return env;
}

export class ServerProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly pid: number,
  ) {
    const keepTail = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keepTail);
    child.stderr?.on('data', keepTail);
  }

  get baseUrl(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  /** What the server printed last (warnings, errors). */
  get outputTail(): string {
    return this.output;
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freeLoopbackPort();
    const env = { ...baseEnvironment(), HOST: LOOPBACK, PORT: String(port), ...options.env };
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), fileURLToPath(options.script)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`could not start ${options.script.pathname}`);
    const server = new ServerProcess(child, port, child.pid);
    try {
      await server.waitUntilReady(options.readyPath);
    } catch (error) {
      await server.stop();
      throw new Error(`${(error as Error).message}\n${server.outputTail}`);
    }
    return server;
  }

  private async waitUntilReady(path: string): Promise<void> {
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (performance.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited with code ${this.child.exitCode} while starting`);
      try {
        const response = await fetch(`${this.baseUrl}${path}`);
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`server not ready after ${START_TIMEOUT_MS} ms`);
  }

  memory(): ProcessMemory {
    return readProcessMemory(this.pid);
  }

  /** SIGTERM (the server's clean shutdown, which also writes CPU profiles), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const lingering = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(lingering);
  }
}
