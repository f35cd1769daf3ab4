/**
 * Survey (zip-duplicate-name): what the five ZIP readers of validators.md do with an archive that
 * holds two entries of one path with different contents. The archive is written by our own
 * ZipWriter the way a chaos archive would be: the two copies as stored documents (sizes in the
 * local header), another document between them, a streamed load file (data descriptor) after them.
 * Every assertion is the behaviour measured on this machine (unzip 6.00, 7-Zip 26, bsdtar 3.6,
 * Python 3.11, OpenJDK 17), so CI notices when a reader changes; README "Duplicate entry names:
 * what readers do" has the table.
 */
import t from 'tap';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { prepareEntry } from '../../src/generator/zip/compress.js';
import { ZipWriter } from '../../src/generator/zip/zip-writer.js';
import { tempDir } from './lib/files.js';
import { FIDELITY_DIR, PYTHON, describeResult, requireTool, run, runOk } from './lib/process.js';

const NAME = 'folder_001/00000001.pdf';
const OTHER = 'folder_001/00000002.pdf';
const LOAD_FILE = 'survey.dat';
const FIRST = 'FIRST copy';
const SECOND = 'SECOND copy, longer';

async function duplicateArchive(dir: string): Promise<string> {
  const file = join(dir, 'duplicate.zip');
  const writer = new ZipWriter({ date: new Date(Date.UTC(2024, 0, 1)), spillThreshold: 1 << 20, tempDir: dir });
  const written = pipeline(writer.output, createWriteStream(file));
  const document = (name: string, text: string) => writer.addPrepared(prepareEntry(Buffer.from(name), [Buffer.from(`${text}\n`)], 'store'));
  document(NAME, FIRST);
  document(OTHER, 'unique entry');
  document(NAME, SECOND);
  await writer.addStream(Buffer.from(LOAD_FILE), (async function* () {
    yield Buffer.from('load file\n');
  })(), false);
  await writer.finish();
  await written;
  return file;
}

const dir = await tempDir(t, 'zipper-duplicates-');
const zip = await duplicateArchive(dir);

async function fresh(name: string): Promise<string> {
  const out = join(dir, name);
  await mkdir(out);
  return out;
}

const onDisk = async (out: string, name = NAME) => (await readFile(join(out, name), 'utf8')).trim();
const exists = async (out: string, name: string) => readFile(join(out, name)).then(() => true, () => false);

t.test('unzip (Info-ZIP 6.00)', async (t) => {
  requireTool('unzip', 'unzip');
  const list = await runOk('unzip', ['-l', zip]);
  t.equal(list.stdout.split('\n').filter((l) => l.endsWith(NAME)).length, 2, 'unzip -l lists both copies (exit 0)');
  const test = await run('unzip', ['-tqq', zip]);
  t.equal(test.code, 0, 'unzip -tqq: exit 0, no complaint', { detail: describeResult(test) });

  // No option, no terminal: it asks "replace …?", reads EOF and answers [N]one.
  const asks = await fresh('unzip-default');
  const r = await run('unzip', ['-d', asks, zip]);
  t.equal(r.code, 1, 'unzip -d (stdin not a terminal): exit 1', { detail: describeResult(r) });
  t.match(r.stdout + r.stderr, /replace .*00000001\.pdf\?/, 'asks whether to replace');
  t.match(r.stdout + r.stderr, /treating as "\[N\]one"/, 'treats EOF as [N]one');
  t.equal(await onDisk(asks), FIRST, 'the first copy stays');
  t.ok(await exists(asks, LOAD_FILE), 'the entries after it are still extracted');

  const overwrite = await fresh('unzip-o');
  t.equal((await run('unzip', ['-o', '-d', overwrite, zip])).code, 0, 'unzip -o: exit 0');
  t.equal(await onDisk(overwrite), SECOND, 'unzip -o: the second copy wins, silently');
  const never = await fresh('unzip-n');
  t.equal((await run('unzip', ['-n', '-d', never, zip])).code, 0, 'unzip -n: exit 0');
  t.equal(await onDisk(never), FIRST, 'unzip -n: the first copy wins, silently');
  const pipe = await runOk('unzip', ['-p', zip, NAME]);
  t.equal(pipe.stdout, `${FIRST}\n${SECOND}\n`, 'unzip -p NAME: both copies, one after the other');
});

t.test('7-Zip (7zz 26)', async (t) => {
  requireTool('7zz', '7zip');
  const list = await runOk('7zz', ['l', zip]);
  t.equal(list.stdout.split('\n').filter((l) => l.endsWith(NAME)).length, 2, '7zz l lists both copies');
  const test = await run('7zz', ['t', '-bd', zip]);
  t.equal(test.code, 0, '7zz t: exit 0');
  t.match(test.stdout, /Everything is Ok/, '7zz t: "Everything is Ok"');
  t.match(test.stdout, /^Files: 4$/m, '7zz t: 4 files');
  t.notMatch(test.stdout + test.stderr, /warning/i, '7zz t: no warning');

  // No option, no terminal: the overwrite prompt reads EOF and 7-Zip stops.
  const asks = await fresh('7zz-default');
  const r = await run('7zz', ['x', '-bd', `-o${asks}`, zip]);
  t.equal(r.code, 255, '7zz x (stdin not a terminal): exit 255', { detail: describeResult(r) });
  t.match(r.stdout + r.stderr, /Break signaled/, 'the prompt ends in "Break signaled"');
  t.equal(await onDisk(asks), FIRST, 'the first copy stays');
  t.notOk(await exists(asks, LOAD_FILE), 'extraction stops there: the load file after it is missing');

  const yes = await fresh('7zz-y');
  t.equal((await run('7zz', ['x', '-bd', '-y', `-o${yes}`, zip])).code, 0, '7zz x -y: exit 0');
  t.equal(await onDisk(yes), SECOND, '7zz x -y: the second copy wins, silently');
  const skip = await fresh('7zz-aos');
  t.equal((await run('7zz', ['x', '-bd', '-aos', `-o${skip}`, zip])).code, 0, '7zz x -aos: exit 0');
  t.equal(await onDisk(skip), FIRST, '7zz x -aos (skip existing): the first copy wins');
  const rename = await fresh('7zz-aou');
  t.equal((await run('7zz', ['x', '-bd', '-aou', `-o${rename}`, zip])).code, 0, '7zz x -aou: exit 0');
  t.same((await readdir(join(rename, 'folder_001'))).sort(), ['00000001.pdf', '00000001_1.pdf', '00000002.pdf'], '7zz x -aou: the second copy renamed 00000001_1.pdf');
  t.equal(await onDisk(rename, 'folder_001/00000001_1.pdf'), SECOND, 'the renamed one is the second copy');
  const pipe = await runOk('7zz', ['e', '-so', zip, NAME]);
  t.equal(pipe.stdout, `${FIRST}\n${SECOND}\n`, '7zz e -so NAME: both copies, one after the other');
});

t.test('bsdtar (libarchive 3.6)', async (t) => {
  requireTool('bsdtar', 'libarchive-tools');
  const list = await runOk('bsdtar', ['-tf', zip]);
  t.same(list.stdout.trim().split('\n'), [NAME, OTHER, NAME, LOAD_FILE], 'bsdtar -tf lists both copies in archive order');
  const out = await fresh('bsdtar');
  const r = await run('bsdtar', ['-xf', zip, '-C', out]);
  t.equal(r.code, 0, 'bsdtar -xf: exit 0');
  t.equal(r.stderr, '', 'bsdtar -xf: says nothing');
  t.equal(await onDisk(out), SECOND, 'bsdtar -xf: the second copy wins (written over the first)');
  const keep = await fresh('bsdtar-k');
  t.equal((await run('bsdtar', ['-xkf', zip, '-C', keep])).code, 0, 'bsdtar -xkf: exit 0');
  t.equal(await onDisk(keep), FIRST, 'bsdtar -xkf (keep old files): the first copy wins, silently');
  const streamed = await run('bsdtar', ['-xOf', '-'], { stdinFile: zip });
  t.equal(streamed.code, 0, 'bsdtar -xOf - (streaming): exit 0');
  t.equal(streamed.stdout, `${FIRST}\nunique entry\n${SECOND}\nload file\n`, 'streaming: every entry, both copies, in order');
});

t.test('Python zipfile (3.11)', async (t) => {
  requireTool(PYTHON, 'python3');
  const out = await fresh('python');
  const r = await runOk(PYTHON, [join(FIDELITY_DIR, 'duplicate_names.py'), zip, NAME, out]);
  const report = JSON.parse(r.stdout) as Record<string, unknown>;
  t.same(report.namelist, [NAME, OTHER, NAME, LOAD_FILE], 'namelist() has both copies');
  t.equal(report.testzip, null, 'testzip(): None (no complaint)');
  t.equal(report.read, SECOND, 'read(name) / getinfo(name): the second (last) copy');
  t.equal(report.getinfoSize, SECOND.length + 1, 'getinfo(name) is the last one');
  t.equal(report.firstEntry, FIRST, 'the first copy is reachable only through infolist()');
  t.equal(report.extractall, SECOND, 'extractall(): the second copy wins (written over the first)');
  t.same(report.warnings, [], 'no warning on reading (Python warns only when writing a duplicate)');
});

t.test('Java (OpenJDK 17) ZipFile and ZipInputStream', async (t) => {
  requireTool('javac', 'default-jdk-headless');
  requireTool('java', 'default-jdk-headless');
  const classes = await fresh('java-classes');
  await runOk('javac', ['-d', classes, join(FIDELITY_DIR, 'DuplicateNames.java')], { timeoutMs: 120_000 });
  const r = await runOk('java', ['-cp', classes, 'DuplicateNames', zip, NAME]);
  const lines = r.stdout.trim().split('\n');
  const value = (key: string) => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
  t.same(value('zipfile.error'), [], 'ZipFile opens it without an exception');
  t.same(value('zipfile.size'), ['4'], 'ZipFile.size() counts both copies');
  t.same(value('zipfile.entries'), [[NAME, OTHER, NAME, LOAD_FILE].join('|')], 'ZipFile.entries() lists both');
  t.same(value('zipfile.getEntry'), [SECOND], 'ZipFile.getEntry(name): the second (last) copy');
  t.same(value('zipinputstream.error'), [], 'ZipInputStream reads on without an exception');
  t.same(
    value('zipinputstream.entry'),
    [`${NAME}:${FIRST}`, `${OTHER}:unique entry`, `${NAME}:${SECOND}`, `${LOAD_FILE}:load file`],
    'ZipInputStream: every entry, both copies, in order',
  );
});
