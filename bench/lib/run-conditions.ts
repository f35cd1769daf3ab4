/**
 * What else was going on: the load average (another job on a 2-core machine skews every figure)
 * and whether the server build changed under the run (figures would mix two builds).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface RunConditions {
  /** 1-minute load average. */
  load: number;
  /** Newest modification time among the built server's files. */
  buildMtimeMs: number;
}

const BUILT_SERVER_DIR = fileURLToPath(new URL('../../src/', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function snapshotConditions(): RunConditions {
  return { load: loadavg()[0] ?? NaN, buildMtimeMs: newestMtime(BUILT_SERVER_DIR) };
}

/** Lines for the report; a warning when the build changed during the run. */
export function describeConditions(start: RunConditions, end: RunConditions): string[] {
  const lines = [`- load average (1 min) at start / end: ${start.load.toFixed(2)} / ${end.load.toFixed(2)}`];
  if (end.buildMtimeMs !== start.buildMtimeMs) {
    lines.push('- **warning: dist/src was rebuilt during the run; figures mix two builds — rerun.**');
  }
  return lines;
}
