/** The service under test: dist/src/server.js with one ZIP engine, in its own process. */
import { join } from 'node:path';
import type { BenchSettings } from './settings.js';
import { ServerProcess } from './server-process.js';

export type Engine = 'zipper' | 'archiver';

export const ENGINE_LABEL: Record<Engine, string> = {
  zipper: 'this service',
  archiver: 'stock archiver',
};

const SERVER_SCRIPT = new URL('../../src/server.js', import.meta.url);

export function startZipperServer(
  settings: BenchSettings,
  engine: Engine,
  extraEnv: Record<string, string> = {},
  extraNodeArgs: string[] = [],
): Promise<ServerProcess> {
  // A folder per server: Node names each thread's profile itself (…​.<thread>.<n>.cpuprofile).
  const profileArgs = settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(settings.cpuProfileDir, `${engine}-${Date.now()}`)}`] : [];
  const nodeArgs = [...extraNodeArgs, ...profileArgs];
  return ServerProcess.start({
    script: SERVER_SCRIPT,
    readyPath: '/healthz',
    nodeArgs,
    env: {
      LOG_LEVEL: 'warn',
      ZIPPER_ZIP_ENGINE: engine,
      ZIPPER_MAX_COUNT: '100000000',
      // Scenario 8 opens 8 archives at once: a concurrency limit must not turn them away.
      ZIPPER_MAX_CONCURRENT: '64',
      ...extraEnv,
    },
  });
}
