import { Readable } from 'node:stream';
import t from 'tap';
import { DatFormatError, MAX_LINE_LENGTH, datLines, parseDelimiterNotation, splitDatLine } from '../../src/generator/production/compare/dat-reader.js';

async function lines(chunks: Buffer[], encoding = 'utf8'): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  for await (const line of datLines(Readable.from(chunks), encoding)) out.push(line);
  return out;
}

t.test('lines end at CRLF, LF or CR, also across chunk boundaries; empty lines counted, not yielded', async (t) => {
  t.same(await lines([Buffer.from('a\r'), Buffer.from('\nb\rc\n\nd')]), [
    [1, 'a'],
    [2, 'b'],
    [3, 'c'],
    [5, 'd'],
  ]);
  // A UTF-8 þ split between chunks, and a BOM.
  const bytes = Buffer.from('\ufeff\u00fex\u00fe\r\n', 'utf8');
  t.same(await lines([bytes.subarray(0, 4), bytes.subarray(4)]), [[1, '\u00fex\u00fe']]);
  t.same(await lines([Buffer.from('\ufeffA|B\r\n', 'utf16le')], 'utf16le'), [[1, 'A|B']]);
  await t.rejects(lines([Buffer.alloc(MAX_LINE_LENGTH + 10, 'a')]), DatFormatError);
});

t.test("fields split as Zipper's reader: quotes toggle, doubled quotes inside quotes, no quote", async (t) => {
  t.same(splitDatLine('\u00feA\u00fe\u0014\u00feB\u00ae C\u00fe', '\u0014', '\u00fe'), ['A', 'B\u00ae C']);
  t.same(splitDatLine('\u00fey\u00fe\u00fez\u00fe\u0014', '\u0014', '\u00fe'), ['y\u00fez', '']);
  t.same(splitDatLine('"a,b",c,"d""e"', ',', '"'), ['a,b', 'c', 'd"e']);
  t.same(splitDatLine('a"b,c', ',', null), ['a"b', 'c']);
  t.same(splitDatLine('"a" tail,b', ',', '"'), ['a tail', 'b'], 'text after a closing quote is kept, not an error');
});

t.test('delimiter notation', async (t) => {
  t.equal(parseDelimiterNotation('ascii:20', false), '\u0014');
  t.equal(parseDelimiterNotation('ASCII:44', false), ',');
  t.equal(parseDelimiterNotation('char:\u00fe', true), '\u00fe');
  t.equal(parseDelimiterNotation('none', true), null);
  t.equal(parseDelimiterNotation('', true), null);
  t.equal(parseDelimiterNotation('none', false), undefined);
  t.equal(parseDelimiterNotation('ascii:256', false), undefined);
  t.equal(parseDelimiterNotation('|', false), undefined);
});
