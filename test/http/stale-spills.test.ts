import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { spillHost, spillPrefix } from '../../src/generator/spill/spill-dir.js';
import { startChildServer } from '../helpers/child-server.js';
import { send } from '../helpers/server.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const spillFolders = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('zipper-cd-'));
const spillSize = (folder: string) => stat(join(folder, 'central-directory.bin')).then((s) => s.size, () => 0);

t.test('kill -9 mid-stream leaves the spill folder; the next start removes it, and only it', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'zipper-stale-spills-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));

  const first = await startChildServer({ ZIPPER_TEMP_DIR: tempDir });
  t.teardown(() => {
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
  });
  // Past 4 MiB of central headers (~58,000 entries) the central directory spills to a folder in
  // ZIPPER_TEMP_DIR; a million documents keep the archive streaming well after that.
  let received = 0;
  const download = httpRequest(`${first.origin}/archives`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
    res.on('data', (chunk: Buffer) => (received += chunk.length));
    res.on('error', () => undefined); // the server dies mid-response
  });
  download.on('error', () => undefined);
  download.end(JSON.stringify({ count: 1_000_000, seed: 9 }));
  // Until the first spill is written whole (it is written in one synchronous pass).
  const FIRST_SPILL = 4 * 1024 * 1024;
  let spilled: string[] = [];
  for (let attempt = 0; attempt < 3000; attempt++) {
    await pause(20);
    spilled = spillFolders(tempDir);
    const size = spilled.length === 1 ? await spillSize(join(tempDir, spilled[0] as string)) : 0;
    if (size >= FIRST_SPILL) break;
  }
  t.equal(spilled.length, 1, 'the archive spilled its central directory');
  const [stale] = spilled as [string];
  t.ok(stale.startsWith(`zipper-cd-${spillHost()}-${first.child.pid}-`), `named after its owner: ${stale}`);

  first.child.kill('SIGKILL'); // kill -9: no handler runs, nothing is cleaned up
  t.equal(await first.exited, 'SIGKILL', 'the server was killed');
  download.destroy();
  t.ok(received > 0, `${received} bytes of the archive arrived before the kill`);
  const staleFile = await stat(join(tempDir, stale, 'central-directory.bin'));
  t.ok(staleFile.size >= FIRST_SPILL, `the killed process left ${staleFile.size} bytes behind`);

  // Beside it: a folder of a live owner (this test process, in the service's naming) and one that
  // is not the service's.
  const live = await mkdtemp(join(tempDir, spillPrefix()));
  await writeFile(join(live, 'central-directory.bin'), 'live');
  await mkdir(join(tempDir, 'other-xyz'));
  await writeFile(join(tempDir, 'other-xyz', 'keep.txt'), 'not ours');

  const second = await startChildServer({ ZIPPER_TEMP_DIR: tempDir });
  t.teardown(async () => {
    second.child.kill('SIGTERM');
    await second.exited;
  });
  t.notOk(existsSync(join(tempDir, stale)), 'the dead process’s spill folder is removed at start');
  t.ok(existsSync(join(live, 'central-directory.bin')), 'the live owner’s folder is left alone');
  t.ok(existsSync(join(tempDir, 'other-xyz', 'keep.txt')), 'a foreign folder is left alone');
  const line = second.logs.find((log) => log.msg === 'stale spill folders removed');
  t.match(line, { level: 30, tempDir, removed: 1, bytes: staleFile.size, failed: [] }, 'logged at info: how many, bytes freed');
  t.equal((await send(second.origin, 'GET', '/healthz')).status, 200, 'and the server serves');
});
