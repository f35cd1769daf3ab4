/**
 * Transfer (issue 13) with curl, the client QA engineers use: the length curl sees (-I), a download
 * cut part-way (curl --range) and resumed with `curl -C -`, byte for byte the uncut one (sha256sum);
 * the same through GNU tar's and unzip's eyes.
 */
import t from 'tap';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './lib/files.js';
import { requireTool, runOk } from './lib/process.js';
import { startServer } from './lib/server.js';

requireTool('curl', 'curl');
requireTool('sha256sum', 'coreutils');

const server = await startServer(t);
const dir = await tempDir(t, 'zipper-resume-');

/** sha256sum's digest of a file: the tool a QA engineer compares downloads with. */
async function sha256(file: string): Promise<string> {
  return (await runOk('sha256sum', [file])).stdout.split(' ')[0]!;
}

for (const [label, path] of [
  ['zip, 800 mixed documents (measured before sending)', '/archives?count=800&fileTypes=%7B%22pdf%22%3A50%2C%22eml%22%3A30%2C%22xlsx%22%3A20%7D&withText=true&seed=21'],
  ['tgz, 5,000 documents (measured by the Range request)', '/archives?count=5000&format=tgz&seed=22'],
] as const) {
  t.test(`${label}: cut, resumed with curl -C -, the same sha256`, async (t) => {
    const url = `${server.url}${path}`;
    const name = path.includes('tgz') ? 'tgz' : 'zip';
    const whole = join(dir, `whole.${name}`);
    await runOk('curl', ['-sS', '--fail', '-o', whole, url]);
    const size = statSync(whole).size;
    // What a download that broke at 37 % left behind.
    const cutAt = Math.floor(size * 0.37);
    const partial = join(dir, `partial.${name}`);
    await runOk('curl', ['-sS', '--fail', '--range', `0-${cutAt - 1}`, '-o', partial, url]);
    t.equal(statSync(partial).size, cutAt, 'the cut file');
    const resumed = await runOk('curl', ['-sS', '--fail', '-C', '-', '-o', partial, '-w', '%{http_code}', url]);
    t.equal(resumed.stdout.trim(), '206', 'curl -C - got the rest as a 206');
    t.equal(await sha256(partial), await sha256(whole), 'resumed = uncut');
    const head = await runOk('curl', ['-sS', '-I', url]);
    t.match(head.stdout, new RegExp(`content-length: ${size}\\r?\\n`, 'i'), 'curl -I shows the length');
    t.match(head.stdout, /accept-ranges: bytes/i);
    if (path.includes('tgz')) await runOk('tar', ['-tzf', partial]);
    else await runOk('unzip', ['-tqq', partial]);
  });
}
