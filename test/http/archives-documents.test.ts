import t from 'tap';
import jpeg from 'jpeg-js';
import UTIF from 'utif';
import { simpleParser } from 'mailparser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { startServer, postArchive } from '../helpers/server.js';
import { readZip, type ZipEntry } from '../helpers/zip.js';

const server = await startServer();
t.teardown(() => server.close());

/** Opens a document with a parser for its format (none of them ours) and returns what it read. */
async function open(entry: ZipEntry): Promise<string> {
  const bytes = entry.data;
  if (entry.name.endsWith('.pdf')) {
    const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    const page = await pdf.getPage(1);
    const text = await page.getTextContent();
    const result = `${pdf.numPages} page: ${text.items.map((item) => ('str' in item ? item.str : '')).join(' ')}`;
    await pdf.destroy();
    return result;
  }
  if (entry.name.endsWith('.jpg')) {
    const image = jpeg.decode(bytes, { useTArray: true });
    return `${image.width}x${image.height}`;
  }
  if (entry.name.endsWith('.tiff')) {
    const ifds = UTIF.decode(bytes);
    const first = ifds[0]!;
    UTIF.decodeImage(bytes, first);
    return `compression ${first['t259']?.[0]} ${first.width}x${first.height} pages ${ifds.length}`;
  }
  const mail = await simpleParser(bytes);
  const to = Array.isArray(mail.to) ? mail.to : [mail.to];
  return `from ${mail.from?.value[0]?.address} to ${to.map((a) => a?.value.length).join()} subject ${mail.subject} date ${mail.date?.toISOString()} attachments ${mail.attachments.map((a) => a.contentType + ':' + a.content.subarray(0, 5).toString('latin1')).join(',')}`;
}

const EXPECTATIONS: Record<string, RegExp> = {
  pdf: /^1 page: .*DOC\d{8}/,
  jpg: /^\d+x\d+$/,
  tiff: /^compression 4 \d+x\d+ pages 1$/,
  eml: /^from \S+@\S+ to [1-3] subject .+ date 20\d\d-.* attachments (application\/pdf:%PDF-)?$/,
};

for (const padded of [false, true]) {
  for (const fileType of ['pdf', 'jpg', 'tiff', 'eml'] as const) {
    t.test(`${fileType}${padded ? ' padded to 5MB' : ''}: every document opens in its format's parser`, async (t) => {
      const fields = {
        count: 60,
        fileType,
        folders: 4,
        seed: 21,
        ...(fileType === 'eml' ? { attachmentRate: 30 } : {}),
        ...(padded ? { targetSize: '5MB' } : {}),
      };
      const res = await postArchive(server.origin, fields);
      t.equal(res.status, 200);
      if (padded) {
        const deviation = (res.body.length - 5_000_000) / 5_000_000;
        t.ok(Math.abs(deviation) < 0.01, `archive ${res.body.length} bytes: ${(deviation * 100).toFixed(3)} % from the target`);
      }
      const documents = (await readZip(res.body)).filter((entry) => entry.name.endsWith(`.${fileType}`));
      t.equal(documents.length, 60);
      let attachments = 0;
      for (const entry of documents) {
        const seen = await open(entry);
        t.match(seen, EXPECTATIONS[fileType]!, entry.name);
        if (seen.includes('application/pdf')) attachments++;
        if (padded) t.ok(entry.data.length > 70_000, `${entry.name} carries its padding`);
      }
      if (fileType === 'eml') t.equal(attachments, 18, '30 % of 60 emails carry a PDF attachment');
    });
  }
}

t.test('compression: auto stores padded documents, deflate and store do as they say', async (t) => {
  const modes = { auto: { padded: 0, plain: 8 }, deflate: { padded: 8, plain: 8 }, store: { padded: 0, plain: 0 } } as const;
  for (const [compression, methods] of Object.entries(modes)) {
    const plain = await readZip((await postArchive(server.origin, { count: 5, compression, seed: 2 })).body);
    const padded = await readZip((await postArchive(server.origin, { count: 5, compression, seed: 2, targetSize: '1MB' })).body);
    t.ok(plain.filter((e) => e.name.endsWith('.pdf')).every((e) => e.compressionMethod === methods.plain), `${compression}: plain`);
    t.ok(padded.filter((e) => e.name.endsWith('.pdf')).every((e) => e.compressionMethod === methods.padded), `${compression}: padded`);
    t.ok(padded.filter((e) => e.compressionMethod === 0).every((e) => !e.usesDataDescriptor), 'stored entries carry sizes in the local header');
  }
});

t.test('targetSize 20MB on 1000 documents lands within 1 %', async (t) => {
  const res = await postArchive(server.origin, { count: 1000, folders: 5, withMetadata: true, withText: true, targetSize: '20MB', seed: 4 });
  const deviation = (res.body.length - 20_000_000) / 20_000_000;
  t.ok(Math.abs(deviation) < 0.01, `${res.body.length} bytes: ${(deviation * 100).toFixed(3)} %`);
});
