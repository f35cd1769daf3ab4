/**
 * Fidelity of load-file dialects with readers we did not write: Python's csv module (strict) reads
 * DAT, Concordance and CSV in every encoding and in custom delimiters and line ends, and finds the
 * same records in each; xmllint accepts the EDRM-XML with those line ends and encodings.
 */
import t from 'tap';
import { join } from 'node:path';
import { ENCODINGS } from '../../src/generator/loadfile/encoding.js';
import { extract, tempDir, type TestLike } from './lib/files.js';
import { requireTool, runOk, runPythonProgram } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';

const server = await startServer(t);

interface DialectCase {
  label: string;
  fields: Record<string, unknown>;
  /** How the DAT is read: column delimiter, quote ('' for none). */
  dat: { column: string; quote: string };
}

const CASES: DialectCase[] = [
  { label: 'standard', fields: {}, dat: { column: '\u0014', quote: 'þ' } },
  { label: 'csv preset', fields: { datDelimiters: 'csv' }, dat: { column: ',', quote: '"' } },
  { label: 'semicolon, no quote', fields: { delimiters: { column: 'char:;', quote: 'none' } }, dat: { column: ';', quote: '' } },
  { label: 'pipe and caret', fields: { delimiters: { column: 'ascii:124', quote: 'char:^' } }, dat: { column: '|', quote: '^' } },
];

/** The archive's four load files, the delimited ones read by Python's csv, the EDRM-XML by xmllint. */
async function readLoadFiles(t: TestLike & { equal: (a: unknown, b: unknown) => void; pass: (message: string) => void }, request: Record<string, unknown> & { name: string; encoding: string; eol?: string }, dat: { column: string; quote: string }) {
  const dir = await tempDir(t);
  const { name, encoding, eol = 'CRLF' } = request;
  const download = await curlPost(`${server.url}/archives`, request, join(dir, `${name}.zip`));
  t.equal(download.status, 200);
  const out = join(dir, 'x');
  await extract(download.file, out, [`${name}.dat`, `${name}.concordance.dat`, `${name}.csv`, `${name}.xml`]);
  const read = async (file: string, column: string, quote: string, quotedBreaks: boolean) =>
    JSON.parse((await runPythonProgram('check_dialect.py', [join(out, file), encoding, column, quote, eol, quotedBreaks ? '1' : '0'])).stdout) as string[][];
  requireTool('xmllint', 'libxml2-utils');
  await runOk('xmllint', ['--noout', join(out, `${name}.xml`)]);
  t.pass('xmllint accepts the EDRM-XML');
  return {
    dat: await read(`${name}.dat`, dat.column, dat.quote, false),
    concordance: await read(`${name}.concordance.dat`, dat.column, 'þ', false),
    csv: await read(`${name}.csv`, ',', '"', true),
  };
}

for (const encoding of ENCODINGS) {
  for (const eol of ['CRLF', 'LF', 'CR'] as const) {
    for (const dialect of CASES) {
      t.test(`${encoding}, ${eol}, ${dialect.label}: DAT, Concordance, CSV through Python's csv; EDRM-XML through xmllint`, async (t) => {
        const request = {
          count: 120,
          fileTypes: { eml: 60, pdf: 30, tiff: 10 },
          attachmentRate: 30,
          withFamilies: true,
          withMetadata: true,
          withText: true,
          bates: { prefix: 'ZP', start: 1 },
          loadFileFormats: ['dat', 'concordance', 'csv', 'edrm-xml'],
          encoding,
          eol,
          ...dialect.fields,
          seed: 77,
          name: 'dialect',
        };
        const { dat, concordance, csv } = await readLoadFiles(t, request, dialect.dat);
        t.equal(dat.length, csv.length, `${dat.length} records in DAT and CSV`);
        t.ok(dat.length > 121, 'a record per document and per attachment, and the header');
        // Without a quote, a column delimiter inside a value is written as a space (README).
        const unquoted = (records: string[][]) => records.map((record) => record.map((value) => value.split(dialect.dat.column).join(' ')));
        t.same(dialect.dat.quote === '' ? unquoted(csv) : csv, dat, 'CSV and DAT hold the same fields');
        t.equal(concordance.length, dat.length, 'Concordance: as many records');
        t.equal(concordance[0]!.length, dat[0]!.length + 2, 'Concordance: its two END… companions more');
      });
    }
  }
}

for (const encoding of ENCODINGS) {
  t.test(`${encoding}: the full profile (138 columns and more) through Python's csv and xmllint`, async (t) => {
    const request = {
      count: 150,
      fileTypes: { eml: 50, pdf: 30, docx: 20 },
      attachmentRate: 40,
      withFamilies: true,
      withCollectionMetadata: true,
      columnProfile: 'full',
      loadFileFormats: ['dat', 'concordance', 'csv', 'edrm-xml'],
      encoding,
      seed: 138,
      name: 'profile',
    };
    const { dat, concordance, csv } = await readLoadFiles(t, request, { column: '\u0014', quote: 'þ' });
    t.equal(dat[0]!.length, 143, "the full profile's 138 columns and the five collection columns");
    t.equal(dat.length, csv.length);
    t.same(csv.slice(1), dat.slice(1), 'CSV rows hold the DAT’s values');
    t.same(concordance, dat, 'Concordance: the profile’s columns, the same values');
  });
}
