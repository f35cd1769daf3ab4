/**
 * Fidelity: format tar and tgz read by independent tools — GNU tar (`tar -tvf`, `tar -xOf`), bsdtar
 * (`-tf`, `-xOf`), Python's tarfile (every member and a full extraction compared with Python's
 * zipfile reading the zip of the same request) and `gzip -t` for the tgz; the end blocks checked
 * by hand (no tool notices a tar cut between members: notes/validators.md).
 */
import t from 'tap';
import { join } from 'node:path';
import { tempDir } from './lib/files.js';
import { requireTool, runOk, runPythonProgram } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';

const server = await startServer(t);

const REQUESTS = {
  // A 100-character name: the load files' and audit files' names pass ustar's 100 bytes (pax path).
  mixed: {
    count: 400,
    seed: 7,
    name: 'n'.repeat(100),
    fileTypes: { pdf: 30, eml: 30, tiff: 15, docx: 10, xlsx: 10, jpg: 5 },
    withFamilies: true,
    attachmentRate: 40,
    withText: true,
    folders: 3,
    loadFileFormats: ['dat', 'opt', 'csv'],
    withAudit: true,
    hashMode: 'actual',
  },
  // Duplicate names (chaos zip-duplicate-name), extra and missing documents, an answer key; padded.
  chaos: { count: 300, seed: 8, fileType: 'pdf', targetSize: '3MB', chaos: { types: ['zip-duplicate-name', 'doc-extra', 'doc-missing', 'quotes'], amount: 5 } },
  production: {
    count: 40,
    seed: 9,
    fileTypes: { pdf: 40, eml: 30, tiff: 30 },
    withText: true,
    bates: { prefix: 'PRD', start: 1, digits: 8 },
    production: { volumeSize: 15 },
  },
} as const;

for (const [label, request] of Object.entries(REQUESTS)) {
  t.test(label, async (t) => {
    const dir = await tempDir(t);
    const files: Record<string, string> = {};
    for (const format of ['zip', 'tar', 'tgz']) {
      const dl = await curlPost(`${server.url}/archives`, { ...request, format }, join(dir, `${label}.${format}`));
      t.equal(dl.status, 200, `${format}: HTTP 200, ${dl.bytes} bytes`);
      files[format] = dl.file;
    }
    requireTool('tar', 'tar');
    requireTool('bsdtar', 'libarchive-tools');
    requireTool('gzip', 'gzip');
    const listing = (await runOk('tar', ['-tvf', files.tar!])).stdout.trim().split('\n');
    const odd = listing.filter((line) => !/^-rw-r--r-- 0\/0 +\d+ 2020-01-01 00:00 /.test(line));
    t.same(odd.slice(0, 5), [], `tar -tvf: ${listing.length} regular files, -rw-r--r-- 0/0, 2020-01-01`);
    await runOk('tar', ['-xOf', files.tar!], { discardStdout: true });
    t.pass('tar -xOf reads every member');
    const bsdNames = (await runOk('bsdtar', ['-tf', files.tar!])).stdout.trim().split('\n');
    t.equal(bsdNames.length, listing.length, 'bsdtar -tf lists as many members');
    await runOk('bsdtar', ['-xOf', files.tar!], { discardStdout: true });
    t.pass('bsdtar -xOf reads every member');
    await runOk('gzip', ['-t', files.tgz!]);
    t.pass('gzip -t accepts the tgz');
    const tgzNames = (await runOk('tar', ['-tzf', files.tgz!])).stdout.trim().split('\n');
    t.same(tgzNames, bsdNames, 'the tgz lists the same members');
    for (const format of ['tar', 'tgz']) {
      const result = await runPythonProgram('tar_check.py', [files.zip!, files[format]!]);
      const summary = JSON.parse(result.stdout) as { members: number; unique: number; longNames: number; problems: string[] };
      t.same(summary.problems, [], `python tarfile (${format}): ${summary.members} members (${summary.unique} names, ${summary.longNames} past 100 bytes) are the zip's, extracted too`);
      if (label === 'mixed') t.ok(summary.longNames > 0, 'names past 100 bytes were read (pax path)');
      if (label === 'chaos') t.ok(summary.unique < summary.members, 'duplicate names, as in the zip');
    }
  });
}
