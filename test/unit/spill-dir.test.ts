import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import t from 'tap';
import { LEGACY_STALE_MS, processStartTime, removeStaleSpills, spillHost, spillPrefix } from '../../src/generator/spill/spill-dir.js';

/** A folder `name` in `dir` holding a file of `bytes` bytes. */
async function folder(dir: string, name: string, bytes: number): Promise<string> {
  const path = join(dir, name);
  await mkdir(path);
  await writeFile(join(path, 'central-directory.bin'), Buffer.alloc(bytes, 1));
  return path;
}

t.test('removeStaleSpills removes folders of gone owners and leaves the rest alone', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'zipper-spill-dir-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));
  const host = spillHost();
  const ownStart = processStartTime(process.pid);
  t.match(ownStart, /^\d+$/, 'this process has a start time in /proc (the PID-reuse check needs it)');
  // A PID whose process has ended: a child that ran and exited.
  const child = spawnSync(process.execPath, ['-e', '']);
  const deadPid = child.pid as number;
  t.equal(child.status, 0);

  const dead = await folder(tempDir, `zipper-cd-${host}-${deadPid}-4242-aB3dE9`, 1000);
  const reused = await folder(tempDir, `zipper-cd-${host}-${process.pid}-1-qwerty`, 200); // own PID, another start time
  const legacyOld = await folder(tempDir, 'zipper-cd-Old123', 30);
  const old = new Date(Date.now() - LEGACY_STALE_MS - 60_000);
  await utimes(join(legacyOld, 'central-directory.bin'), old, old);
  await utimes(legacyOld, old, old);

  const live = await mkdtemp(join(tempDir, spillPrefix()));
  const legacyFresh = await folder(tempDir, 'zipper-cd-New456', 10);
  const otherHost = await folder(tempDir, `zipper-cd-${host}x-${deadPid}-4242-zzzzzz`, 10);
  const foreign = await folder(tempDir, 'other-xyz', 10);
  const lookalike = await folder(tempDir, 'zipper-cdx', 10);
  await writeFile(join(tempDir, `zipper-cd-${host}-${deadPid}-4242-file00`), 'a file, not a folder');

  t.match(basename(live), new RegExp(`^zipper-cd-${host.replace(/\./g, '\\.')}-${process.pid}-${ownStart}-[A-Za-z0-9]{6}$`), 'own folders carry host, pid and start time');
  const result = await removeStaleSpills(tempDir);
  t.same(result, { removed: 3, bytes: 1000 + 200 + 30, failed: [] });
  for (const path of [dead, reused, legacyOld]) t.notOk(existsSync(path), `${basename(path)} removed`);
  for (const path of [live, legacyFresh, otherHost, foreign, lookalike]) t.ok(existsSync(path), `${basename(path)} left alone`);
  t.ok(existsSync(join(tempDir, `zipper-cd-${host}-${deadPid}-4242-file00`)), 'a file with our name left alone');
  t.same(await removeStaleSpills(tempDir), { removed: 0, bytes: 0, failed: [] }, 'a second pass finds nothing');
  t.equal((await readdir(tempDir)).length, 6);
});

t.test('removeStaleSpills never rejects', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'zipper-spill-dir-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));
  t.same(await removeStaleSpills(join(tempDir, 'missing')), { removed: 0, bytes: 0, failed: [] }, 'no temp dir: nothing to do');
  const notADir = join(tempDir, 'file');
  await writeFile(notADir, 'x');
  const result = await removeStaleSpills(notADir);
  t.match(result, { removed: 0, bytes: 0, failed: [{ folder: notADir, error: /ENOTDIR/ }] }, 'an unreadable temp dir is reported');
});

t.test('spillHost keeps names parseable', async (t) => {
  t.equal(spillHost('build-01.example.org'), 'build-01.example.org');
  t.equal(spillHost('a b/c_d'), 'a_b_c_d');
  t.equal(spillHost(''), 'host');
  t.equal(spillHost('x'.repeat(100)).length, 64);
});
