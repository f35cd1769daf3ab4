/**
 * Runs a bench script in a child Node process and gets its JSON result over IPC. Clients and
 * in-process measurements run apart from the runner (and from the server) so that no two of them
 * share an event loop, a heap or a JIT warm-up.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type ParentMessage<I> = { type: 'input'; input: I };
type ChildMessage<O, P> = { type: 'result'; output: O } | { type: 'error'; message: string } | { type: 'progress'; progress: P };

export interface ChildTaskOptions<P> {
  /** The child is killed past this; the task then fails. */
  timeoutMs: number;
  onProgress?: (progress: P) => void;
}

export function runChildTask<I, O, P = never>(script: URL, input: I, options: ChildTaskOptions<P>): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const child = fork(fileURLToPath(script), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new Error(`${script.pathname}: no result after ${options.timeoutMs} ms`)));
    }, options.timeoutMs);
    child.on('message', (message: ChildMessage<O, P>) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'result') settle(() => resolve(message.output));
      else settle(() => reject(new Error(`${script.pathname}: ${message.message}`)));
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('exit', (code, signal) => settle(() => reject(new Error(`${script.pathname} exited (${signal ?? code}) without a result`))));
    child.send({ type: 'input', input } satisfies ParentMessage<I>);
  });
}

/** Child side: take the input, run, send the result (or the error) and exit. */
export function serveChildTask<I, O, P = never>(task: (input: I, reportProgress: (progress: P) => void) => Promise<O>): void {
  const send = (message: ChildMessage<O, P>, then?: () => void) => process.send?.(message, undefined, undefined, then);
  process.once('message', (message: ParentMessage<I>) => {
    task(message.input, (progress) => send({ type: 'progress', progress })).then(
      (output) => send({ type: 'result', output }, () => process.exit(0)),
      (error: unknown) => send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
    );
  });
}
