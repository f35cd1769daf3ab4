/**
 * The five independent ZIP readers of validators.md, each run on the archive as a whole; they
 * read the bytes with external tools, never with our generator's code.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIDELITY_DIR, ToolFailure, describeResult, requireTool, run, runOk, runPythonProgram } from './process.js';

/** `unzip -tqq f.zip`: CRCs and the central directory (a valid empty zip exits 1). */
export async function unzipTest(zip: string): Promise<void> {
  requireTool('unzip', 'unzip');
  await runOk('unzip', ['-tqq', zip]);
}

/** `7zz t -bd f.zip`, the strictest reader; returns the file count 7-Zip reports. */
export async function sevenZipTest(zip: string): Promise<{ files: number | null; warnings: boolean }> {
  requireTool('7zz', '7zip');
  const r = await runOk('7zz', ['t', '-bd', zip]);
  if (!/Everything is Ok/.test(r.stdout)) throw new ToolFailure(`7zz did not report "Everything is Ok"\n${describeResult(r)}`, r);
  if (/^\s*WARNINGS?:|^Warnings?: \d+/im.test(r.stdout + r.stderr)) throw new ToolFailure(`7zz reported warnings\n${describeResult(r)}`, r);
  const m = /^Files: (\d+)/m.exec(r.stdout);
  return { files: m ? Number(m[1]) : null, warnings: false };
}

/** `bsdtar -xOf - < f.zip > /dev/null`: a streaming read that never sees the central directory. */
export async function bsdtarStream(zip: string): Promise<void> {
  requireTool('bsdtar', 'libarchive-tools');
  const r = await run('bsdtar', ['-xOf', '-'], { stdinFile: zip, discardStdout: true });
  if (r.code !== 0 || r.stderr.trim() !== '') throw new ToolFailure(`bsdtar -xOf - < ${zip}: ${describeResult(r)}`, r);
}

/** One central directory entry as Python's zipfile reports it (zip_report.py). */
export interface PyZipEntry {
  name: string;
  size: number;
  csize: number;
  method: number;
  flags: number;
  crc: number;
  date: [number, number, number, number, number, number];
}
export interface PyZipReport {
  entries: PyZipEntry[];
  eocd: { entries: number; zip64: boolean; zip64Entries: number | null; comment: string };
}

/**
 * Python `zipfile.ZipFile(f).testzip() is None` (Debian's /usr/bin/python3), plus a check of the
 * end-of-central-directory entry counts (Zip64 included): zip_report.py. Returns the central
 * directory listing.
 */
export async function pythonZipTest(zip: string): Promise<PyZipReport> {
  const r = await runPythonProgram('zip_report.py', [zip]);
  return JSON.parse(r.stdout) as PyZipReport;
}

let javaClasses: Promise<string> | undefined;

/** Compiles ZipStreamCheck.java once per test process into a temp dir; returns the class dir. */
export function compileZipStreamCheck(): Promise<string> {
  javaClasses ??= (async () => {
    requireTool('javac', 'default-jdk-headless');
    requireTool('java', 'default-jdk-headless');
    const dir = await mkdtemp(join(tmpdir(), 'zipper-java-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await runOk('javac', ['-d', dir, join(FIDELITY_DIR, 'ZipStreamCheck.java')], { timeoutMs: 120_000 });
    return dir;
  })();
  return javaClasses;
}

/** Java 17 `java.util.zip.ZipInputStream` reading every entry to its end. */
export async function javaZipStream(zip: string): Promise<{ entries: number; bytes: number }> {
  const dir = await compileZipStreamCheck();
  const r = await runOk('java', ['-Xmx256m', '-cp', dir, 'ZipStreamCheck', zip]);
  const m = /entries=(\d+) bytes=(\d+)/.exec(r.stdout);
  if (!m) throw new ToolFailure(`ZipStreamCheck printed no summary\n${describeResult(r)}`, r);
  return { entries: Number(m[1]), bytes: Number(m[2]) };
}

export interface ZipReport {
  python: PyZipReport;
  java: { entries: number; bytes: number };
  sevenZip: { files: number | null };
}

/**
 * All five ZIP readers on one archive, in parallel. Throws one error listing every reader that
 * rejected it; also cross-checks that the readers agree on the number of entries and bytes.
 */
export async function checkZipAllReaders(zip: string): Promise<ZipReport> {
  const names = ['unzip -tqq', '7zz t -bd', 'bsdtar -xOf -', 'python zipfile', 'java ZipInputStream'];
  const settled = await Promise.allSettled([unzipTest(zip), sevenZipTest(zip), bsdtarStream(zip), pythonZipTest(zip), javaZipStream(zip)]);
  const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [`[${names[i]}] ${(s.reason as Error).message}`] : []));
  if (failures.length) throw new ToolFailure(`${failures.length} of 5 ZIP readers rejected ${zip}:\n${failures.join('\n\n')}`);
  const python = (settled[3] as PromiseFulfilledResult<PyZipReport>).value;
  const java = (settled[4] as PromiseFulfilledResult<{ entries: number; bytes: number }>).value;
  const sevenZip = (settled[1] as PromiseFulfilledResult<{ files: number | null }>).value;
  const fileEntries = python.entries.filter((e) => !e.name.endsWith('/'));
  const pyBytes = python.entries.reduce((a, e) => a + e.size, 0);
  const problems: string[] = [];
  if (java.entries !== python.entries.length) problems.push(`ZipInputStream saw ${java.entries} entries, the central directory lists ${python.entries.length}`);
  if (java.bytes !== pyBytes) problems.push(`ZipInputStream read ${java.bytes} bytes, the central directory sums to ${pyBytes}`);
  if (sevenZip.files !== null && sevenZip.files !== fileEntries.length) problems.push(`7zz counted ${sevenZip.files} files, the central directory lists ${fileEntries.length}`);
  if (problems.length) throw new ToolFailure(`ZIP readers disagree on ${zip}:\n${problems.join('\n')}`);
  return { python, java, sevenZip };
}
