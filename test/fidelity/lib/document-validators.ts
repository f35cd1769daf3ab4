/**
 * One Debian validator per document type (the exact commands of validators.md), each run on the
 * extracted files, independent of our generator's code.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { FileType } from '../../../src/generator/types.js';
import { FIDELITY_DIR, PYTHON, ToolFailure, chunks, describeResult, mapLimit, requireTool, run, runPythonProgram } from './process.js';

/** Validator processes run at once. */
const PARALLEL = Math.max(2, Math.min(8, cpus().length * 2));

function failureList(tool: string, total: number, failures: string[]): ToolFailure {
  const shown = failures.slice(0, 10).join('\n\n');
  const more = failures.length > 10 ? `\n\n… and ${failures.length - 10} more` : '';
  return new ToolFailure(`${tool}: ${failures.length} of ${total} files rejected:\n${shown}${more}`);
}

/** `qpdf --check f.pdf` on every file: only exit 0 passes (2 = errors, 3 = warnings). */
export async function qpdfCheck(files: readonly string[]): Promise<number> {
  requireTool('qpdf', 'qpdf');
  const failures: string[] = [];
  await mapLimit(files, PARALLEL, async (f) => {
    const r = await run('qpdf', ['--check', f]);
    if (r.code !== 0) failures.push(describeResult(r));
    else if (!/No syntax or stream encoding errors found/.test(r.stdout)) failures.push(`qpdf did not confirm the file\n${describeResult(r)}`);
  });
  if (failures.length) throw failureList('qpdf --check', files.length, failures);
  return files.length;
}

/** `djpeg -outfile /dev/null f.jpg` on every file: exit 0 AND an empty stderr (warnings count). */
export async function djpegCheck(files: readonly string[]): Promise<number> {
  requireTool('djpeg', 'libjpeg-turbo-progs');
  const failures: string[] = [];
  await mapLimit(files, PARALLEL, async (f) => {
    const r = await run('djpeg', ['-outfile', '/dev/null', f]);
    if (r.code !== 0 || r.stderr.trim() !== '') failures.push(describeResult(r));
  });
  if (failures.length) throw failureList('djpeg', files.length, failures);
  return files.length;
}

/**
 * `tiffinfo f.tif` on every file: exit 0, empty stderr, and every `TIFF Directory` (page) must be
 * `Compression Scheme: CCITT Group 4`. Returns the page count of each file (same order).
 */
export async function tiffinfoCheck(files: readonly string[]): Promise<number[]> {
  requireTool('tiffinfo', 'libtiff-tools');
  const failures: string[] = [];
  const pages = await mapLimit(files, PARALLEL, async (f) => {
    const r = await run('tiffinfo', [f]);
    const dirs = (r.stdout.match(/^TIFF Directory at offset/gm) ?? []).length;
    const g4 = (r.stdout.match(/Compression Scheme: CCITT Group 4$/gm) ?? []).length;
    if (r.code !== 0 || r.stderr.trim() !== '') failures.push(describeResult(r));
    else if (dirs === 0 || g4 !== dirs) failures.push(`${f}: ${dirs} TIFF directories but ${g4} say "Compression Scheme: CCITT Group 4"\n${describeResult(r)}`);
    return dirs;
  });
  if (failures.length) throw failureList('tiffinfo', files.length, failures);
  return pages;
}

/**
 * `identify -regard-warnings f.tif` (decodes the image data). Batched, many files per process;
 * a failing batch is re-run file by file to name the culprits.
 */
export async function identifyCheck(files: readonly string[], batch = 40): Promise<number> {
  requireTool('identify', 'imagemagick');
  const failures: string[] = [];
  await mapLimit(chunks(files, batch), PARALLEL, async (b) => {
    const r = await run('identify', ['-regard-warnings', ...b]);
    if (r.code === 0 && r.stderr.trim() === '') return;
    for (const f of b) {
      const one = await run('identify', ['-regard-warnings', f]);
      if (one.code !== 0 || one.stderr.trim() !== '') failures.push(describeResult(one));
    }
    if (failures.length === 0) failures.push(`batch failed but every file passed alone\n${describeResult(r)}`);
  });
  if (failures.length) throw failureList('identify -regard-warnings', files.length, failures);
  return files.length;
}

/** check_eml.py (stdlib email, policy.default + policy.strict), many files per process. */
export async function emlCheck(files: readonly string[], batch = 400): Promise<{ parts: number; attachments: number }> {
  requireTool(PYTHON, 'python3');
  const failures: string[] = [];
  let parts = 0;
  let attachments = 0;
  await mapLimit(chunks(files, batch), PARALLEL, async (b) => {
    const r = await run(PYTHON, [join(FIDELITY_DIR, 'check_eml.py'), ...b]);
    const m = /^OK (\d+) messages, (\d+) parts, (\d+) attachments/m.exec(r.stdout);
    if (r.code !== 0 || !m) {
      const lines = r.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
      failures.push(...(lines.length ? lines : [describeResult(r)]));
      return;
    }
    parts += Number(m[2]);
    attachments += Number(m[3]);
  });
  if (failures.length) throw failureList('check_eml.py', files.length, failures);
  return { parts, attachments };
}

/** python-docx / openpyxl open every DOCX / XLSX and read its text back (check_ooxml.py). */
export async function ooxmlCheck(files: readonly string[], batch = 200): Promise<string> {
  let summary = '';
  for (const group of chunks(files, batch)) summary = (await runPythonProgram('check_ooxml.py', group)).stdout.trim();
  return `python-docx / openpyxl (${summary})`;
}

export interface DocCheckSummary {
  checked: number;
  total: number;
  detail: string;
}

/** Runs the document validator(s) for `type` on the files (a sample of at most `max`). */
export async function checkDocuments(type: FileType, files: readonly string[], max = 200): Promise<DocCheckSummary> {
  if (files.length === 0) throw new ToolFailure(`no ${type} documents to check`);
  const picked = sample(files, max);
  let detail: string;
  switch (type) {
    case 'pdf':
      await qpdfCheck(picked);
      detail = 'qpdf --check';
      break;
    case 'jpg':
      await djpegCheck(picked);
      detail = 'djpeg -outfile /dev/null (empty stderr)';
      break;
    case 'tiff': {
      const [pages] = await Promise.all([tiffinfoCheck(picked), identifyCheck(picked)]);
      detail = `tiffinfo (CCITT Group 4, ${pages.reduce((a, b) => a + b, 0)} pages) + identify -regard-warnings`;
      break;
    }
    case 'eml': {
      const s = await emlCheck(picked);
      detail = `python email policy.default+strict (${s.parts} parts, ${s.attachments} attachments)`;
      break;
    }
    case 'docx':
    case 'xlsx':
      detail = await ooxmlCheck(picked);
      break;
  }
  return { checked: picked.length, total: files.length, detail };
}

/** Up to `max` items spread evenly over the list, first and last included. */
export function sample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(items[Math.round((k * (items.length - 1)) / (max - 1))] as T);
  return out;
}
