/**
 * What the archive and its DAT load file must look like (SPEC "Archive layout", "Load file"),
 * checked against the listing the ZIP readers produced and the DAT as Python decodes it.
 */
import { folderOf, type Distribution } from '../../../src/generator/distribution.js';
import type { Encoding } from '../../../src/generator/loadfile/encoding.js';
import { EXTENSIONS } from '../../../src/generator/plan.js';
import type { FileType } from '../../../src/generator/types.js';
import { runPythonProgram } from './process.js';
import type { PyZipEntry } from './zip-readers.js';

/** The first 30 problems: enough to see the pattern without drowning the test output. */
function firstProblems(problems: string[]): string[] {
  return problems.slice(0, 30).concat(problems.length > 30 ? [`… ${problems.length - 30} more`] : []);
}

export interface LayoutRequest {
  count: number;
  fileType: FileType;
  folders: number;
  distribution: Distribution;
  withText: boolean;
  includeLoadFile: boolean;
  name: string;
}

/**
 * Checks entry names against the SPEC layout: folder_FFF/IIIIIIII.<ext> for documents 1…count in
 * the folder the distribution puts them in, IIIIIIII.txt beside each with withText, <name>.dat at
 * the root, nothing else (directory entries of the folders tolerated). Returns problems.
 */
export function layoutProblems(entries: readonly PyZipEntry[], req: LayoutRequest): string[] {
  const problems: string[] = [];
  const ext = EXTENSIONS[req.fileType];
  const width = Math.max(8, String(req.count).length);
  const docs = new Map<number, string>();
  const texts = new Map<number, string>();
  let loadFiles = 0;
  const re = /^folder_(\d{3})\/(\d+)\.([a-z]+)$/;
  for (const e of entries) {
    if (e.name === `${req.name}.dat`) {
      loadFiles++;
      continue;
    }
    if (/^folder_\d{3}\/$/.test(e.name)) continue;
    const m = re.exec(e.name);
    if (!m) {
      problems.push(`unexpected entry ${JSON.stringify(e.name)}`);
      continue;
    }
    const [, folderStr = '', idxStr = '', entryExt = ''] = m;
    const idx = Number(idxStr);
    if (idxStr.length !== width) problems.push(`${e.name}: index must have ${width} digits`);
    const want = folderOf(req.distribution, idx, req.count, req.folders);
    if (Number(folderStr) !== want) problems.push(`${e.name}: document ${idx} belongs in folder_${String(want).padStart(3, '0')} (${req.distribution})`);
    const map = entryExt === ext ? docs : entryExt === 'txt' ? texts : undefined;
    if (!map) {
      problems.push(`${e.name}: unexpected extension .${entryExt}`);
      continue;
    }
    if (map.has(idx)) problems.push(`${e.name}: duplicate of ${map.get(idx)}`);
    map.set(idx, e.name);
    if (idx < 1 || idx > req.count) problems.push(`${e.name}: index outside 1…${req.count}`);
  }
  if (docs.size !== req.count) problems.push(`${docs.size} .${ext} documents, expected ${req.count}`);
  if (req.withText) {
    if (texts.size !== req.count) problems.push(`${texts.size} .txt files, expected ${req.count}`);
    for (const [idx, name] of docs) {
      const txt = texts.get(idx);
      if (txt === undefined) problems.push(`${name}: no extracted text beside it`);
      else if (txt.replace(/\.txt$/, '') !== name.replace(/\.[a-z]+$/, '')) problems.push(`${txt} is not beside ${name}`);
    }
  } else if (texts.size) problems.push(`${texts.size} .txt files without withText`);
  if (req.includeLoadFile && loadFiles !== 1) problems.push(`load file ${req.name}.dat: found ${loadFiles}, expected 1 at the archive root`);
  if (!req.includeLoadFile && loadFiles !== 0) problems.push(`load file present without includeLoadFile`);
  return firstProblems(problems);
}

export interface DatReport {
  encoding: Encoding;
  bom: string;
  header: string[];
  rows: string[][];
  text: string;
  registeredSigns: number;
  problems: string[];
}

/** Decodes and parses a DAT load file with Python's codecs, checking its DC4/þ/CRLF bytes (dat_report.py). */
export async function readDat(path: string, encoding: Encoding): Promise<DatReport> {
  const r = await runPythonProgram('dat_report.py', [path, encoding]);
  return { encoding, ...(JSON.parse(r.stdout) as Omit<DatReport, 'encoding'>) };
}

export interface DatRequest {
  count: number;
  withMetadata: boolean;
  withText: boolean;
  fileType: FileType;
}

/** The DAT header SPEC prescribes for a request, written out here rather than taken from src. */
export function expectedDatHeader(opts: Omit<DatRequest, 'count'>): string[] {
  const cols = ['Control Number', 'File Path'];
  if (opts.withMetadata) cols.push('Custodian', 'Date Sent', 'Author', 'File Size');
  if (opts.fileType === 'eml') cols.push('To', 'From', 'Subject', 'Sent Date', 'Attachment');
  if (opts.withText) cols.push('Extracted Text');
  return cols;
}

/** Normalises a load-file path (backslashes, leading .\ or /) to an archive entry name. */
export function normaliseDatPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.?\/+/, '');
}

/**
 * Row-level checks of a DAT against the archive listing: one row per document in index order,
 * Control Number DOC+index, File Path = the entry, File Size = its real size, Custodian linked to
 * the folder, Extracted Text = the .txt beside it.
 */
export function datProblems(dat: DatReport, entries: readonly PyZipEntry[], opts: DatRequest): string[] {
  const problems = dat.problems.map((p) => `DAT bytes: ${p}`);
  const header = expectedDatHeader(opts);
  if (JSON.stringify(dat.header) !== JSON.stringify(header)) problems.push(`DAT header ${JSON.stringify(dat.header)}, SPEC order is ${JSON.stringify(header)}`);
  if (dat.rows.length !== opts.count) problems.push(`DAT has ${dat.rows.length} rows, expected ${opts.count}`);
  const col = (name: string) => dat.header.indexOf(name);
  const bySize = new Map(entries.map((e) => [e.name, e.size]));
  const custodianOfFolder = new Map<string, string>();
  const folderOfCustodian = new Map<string, string>();
  const width = Math.max(8, String(opts.count).length);
  dat.rows.forEach((row, k) => {
    const idx = k + 1;
    const id = String(idx).padStart(width, '0');
    const cn = row[col('Control Number')];
    if (cn !== `DOC${id}`) problems.push(`row ${idx}: Control Number ${JSON.stringify(cn)}, expected DOC${id}`);
    const path = normaliseDatPath(row[col('File Path')] ?? '');
    if (!bySize.has(path) || !path.endsWith(`/${id}.${EXTENSIONS[opts.fileType]}`)) problems.push(`row ${idx}: File Path ${JSON.stringify(row[col('File Path')])} is not document ${id} in the archive`);
    if (opts.withMetadata) {
      const size = row[col('File Size')];
      if (bySize.has(path) && String(bySize.get(path)) !== size) problems.push(`row ${idx}: File Size ${size}, the entry has ${bySize.get(path)} bytes`);
      const folder = path.split('/')[0] ?? '';
      const cust = row[col('Custodian')] ?? '';
      if (!cust) problems.push(`row ${idx}: empty Custodian`);
      const known = custodianOfFolder.get(folder);
      if (known !== undefined && known !== cust) problems.push(`row ${idx}: Custodian ${JSON.stringify(cust)} but ${folder} already has ${JSON.stringify(known)}`);
      custodianOfFolder.set(folder, cust);
      const f2 = folderOfCustodian.get(cust);
      if (f2 !== undefined && f2 !== folder) problems.push(`row ${idx}: Custodian ${JSON.stringify(cust)} used by ${f2} and ${folder}`);
      folderOfCustodian.set(cust, folder);
    }
    if (opts.withText) {
      const txt = normaliseDatPath(row[col('Extracted Text')] ?? '');
      if (txt !== path.replace(/\.[a-z]+$/, '.txt') || !bySize.has(txt)) problems.push(`row ${idx}: Extracted Text ${JSON.stringify(row[col('Extracted Text')])} is not the .txt beside ${path}`);
    }
  });
  return firstProblems(problems);
}
