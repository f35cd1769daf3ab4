/**
 * Running the external validators. Every validator first calls requireTool(), which throws
 * "install it: apt-get install -y <pkg>" when the tool is missing, so a missing validator FAILS
 * the test instead of skipping it; a tool that rejects a file throws a ToolFailure carrying the
 * tool's own output.
 */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fidelity/, where the helper programs (.py, .java) live. */
export const FIDELITY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Debian's interpreter: the python3 first on PATH may be a separate install (validators.md). */
export const PYTHON = '/usr/bin/python3';

export interface RunResult {
  cmd: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** File whose bytes are the child's stdin (else stdin is /dev/null). */
  stdinFile?: string;
  /** String written to the child's stdin. */
  input?: string;
  /** Discard stdout (the child writes to /dev/null). */
  discardStdout?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export class ToolFailure extends Error {
  constructor(
    message: string,
    readonly result?: RunResult,
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs a command, never throws on a non-zero exit: callers decide what a failure is. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  // a batch of files makes a long command line: show the first few
  const shown = [cmd, ...args.slice(0, 6)].map(shellQuote).join(' ') + (args.length > 6 ? ` … (+${args.length - 6} args)` : '');
  return new Promise((resolvePromise, reject) => {
    let stdinFd: number | undefined;
    if (opts.stdinFile !== undefined) stdinFd = openSync(opts.stdinFile, 'r');
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [stdinFd ?? (opts.input !== undefined ? 'pipe' : 'ignore'), opts.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    if (opts.input !== undefined && child.stdin) child.stdin.end(opts.input);
    child.on('error', (e) => {
      clearTimeout(timer);
      if (stdinFd !== undefined) closeSync(stdinFd);
      reject(new ToolFailure(`${shown}: cannot start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (stdinFd !== undefined) closeSync(stdinFd);
      resolvePromise({
        cmd: shown,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Keeps a failure message readable when a tool prints a lot. */
export function clip(text: string, max = 4000): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}

/** The command, how it ended and what it printed: the body of a failure message. */
export function describeResult(r: RunResult): string {
  const status = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  const parts = [`${r.cmd}: ${status}`];
  if (r.stdout.trim()) parts.push(`stdout:\n${clip(r.stdout.trim())}`);
  if (r.stderr.trim()) parts.push(`stderr:\n${clip(r.stderr.trim())}`);
  return parts.join('\n');
}

/** Runs and throws a ToolFailure (with the tool's output) unless it exited 0. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new ToolFailure(describeResult(r), r);
  return r;
}

/** Runs one of the Python programs in test/fidelity/ with Debian's interpreter; throws unless it exits 0. */
export function runPythonProgram(program: string, args: readonly string[]): Promise<RunResult> {
  requireTool(PYTHON, 'python3');
  return runOk(PYTHON, [join(FIDELITY_DIR, program), ...args]);
}

/** Maps with at most `limit` promises in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Consecutive slices of at most `size` items: many files per process, within command-line limits. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const toolCache = new Map<string, string>();

/**
 * Path of an executable (a name looked up on PATH, or an absolute path). Throws — failing the
 * calling test, never skipping it — with the Debian package that provides it when it is missing.
 */
export function requireTool(name: string, debianPackage: string): string {
  const cached = toolCache.get(name);
  if (cached) return cached;
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) {
        toolCache.set(name, c);
        return c;
      }
    } catch {
      /* not here */
    }
  }
  throw new Error(`validator ${name} is not installed: install it: apt-get install -y ${debianPackage}`);
}
