/** Temp directories, extraction and listing of the downloaded archives. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { chunks, requireTool, runOk } from './process.js';

/** Minimal view of a tap Test: what the helpers use. */
export interface TestLike {
  teardown(fn: () => unknown): void;
  comment(...args: unknown[]): void;
}

/** A fresh temp dir removed at teardown (kept when ZIPPER_FIDELITY_KEEP=1). */
export async function tempDir(t: TestLike, prefix = 'zipper-fidelity-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(async () => {
    if (process.env.ZIPPER_FIDELITY_KEEP === '1') return;
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** `unzip -qq -o -d dir f.zip [names…]`: everything without names, else those entries only. */
export async function extract(zip: string, dir: string, names: readonly string[] = []): Promise<void> {
  requireTool('unzip', 'unzip');
  for (const some of names.length ? chunks(names, 500) : [[]]) await runOk('unzip', ['-qq', '-o', '-d', dir, zip, ...some]);
}

/** Every file below `dir`, as sorted paths relative to it with '/' separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true });
  return all
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)).split(sep).join('/'))
    .sort();
}

export function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}
