import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import jpeg from 'jpeg-js';
import { simpleParser, type AddressObject } from 'mailparser';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import UTIF from 'utif';
import { XMLValidator } from 'fast-xml-parser';
import { readZip } from '../helpers/zip.js';
import {
  documentSize,
  extractedText,
  partsSize,
  renderDocument,
  type PaddingFill,
} from '../../src/generator/documents/index.js';
import { JPEG_HEIGHT, JPEG_WIDTH, jpegBlockLevel } from '../../src/generator/documents/jpeg.js';
import { TIFF_HEIGHT, TIFF_WIDTH, tiffPageBitmap } from '../../src/generator/documents/tiff.js';
import type { DocumentPart, FileType, PlannedDocument } from '../../src/generator/types.js';

// The parts of utif used here (it publishes no types; tags t256… are arrays).
interface UtifIfd {
  width: number;
  height: number;
  [tag: `t${number}`]: unknown;
}
const utif = UTIF as unknown as {
  decode(data: Uint8Array): UtifIfd[];
  decodeImage(data: Uint8Array, ifd: UtifIfd): void;
  toRGBA8(ifd: UtifIfd): Uint8Array;
};

const require = createRequire(import.meta.url);
const standardFontDataUrl = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

const PADDING = 100_000;
const TYPES: FileType[] = ['pdf', 'jpg', 'tiff', 'eml', 'docx', 'xlsx'];

function fixture(type: FileType, over: Partial<PlannedDocument> = {}): PlannedDocument {
  return {
    index: 42,
    controlNumber: 'DOC00000042',
    type,
    folder: 3,
    path: `folder_003/00000042.${type}`,
    textPath: 'folder_003/00000042.txt',
    source: null,
    pageCount: 1,
    parentControlNumber: null,
    family: null,
    attachmentOf: null,
    custodian: 'Custodian 3',
    author: "Zoë O'Brien (Legal)",
    dateSent: new Date(Date.UTC(2023, 4, 17, 9, 8, 7)),
    from: { name: 'Smith, John', address: 'john.smith@example.com' },
    to: [
      { name: 'Zoë Müller', address: 'zoe@example.org' },
      { name: 'Bob', address: 'bob@example.net' },
      { name: 'Carol Q. Public', address: 'carol@example.com' },
    ],
    subject: 'Q3 forecast (draft) \\ review — café = ok',
    hasAttachment: false,
    paddingBytes: 0,
    ...over,
  };
}

// Random bytes laced with the end markers and delimiters of every format: padding must never be
// read as structure.
const TRAPS = [
  'endstream\nendobj\nxref\n0 1\ntrailer\n<<>>\nstartxref\n0\n%%EOF\n',
  '\xff\xd9\xff\xda\xff\xd8\xff\xc0',
  'II*\0MM\0*',
  '\r\n--=_DOC00000042--\r\n',
].map((s) => Buffer.from(s, 'latin1'));
const fill: PaddingFill = (n) => {
  const b = randomBytes(n);
  for (let o = 0, i = 0; o + 64 < n; o += 4099, i++) TRAPS[i % TRAPS.length]!.copy(b, o);
  return b;
};

function holes(parts: DocumentPart[]): number {
  return parts.filter((p) => !Buffer.isBuffer(p)).length;
}

function materialize(parts: DocumentPart[]): Buffer {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : fill(p.padding))));
}

async function pdfText(data: Buffer): Promise<{ numPages: number; text: string; info: Record<string, unknown> }> {
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(data), standardFontDataUrl, verbosity: 0 }).promise;
  const page = await pdf.getPage(1);
  const content = await page.getTextContent();
  const text = content.items.map((i) => ('str' in i ? i.str : '')).join('\n');
  const { info } = await pdf.getMetadata();
  const numPages = pdf.numPages;
  await pdf.destroy();
  return { numPages, text, info: info as Record<string, unknown> };
}

/** pdf.js repairs broken files silently, so check the xref ourselves: every offset hits its object. */
function checkXref(t: Test, data: Buffer): void {
  const s = data.toString('latin1');
  const tail = s.slice(-40);
  const m = /startxref\n(\d+)\n%%EOF\n$/.exec(tail);
  t.ok(m, 'ends with startxref and %%EOF');
  const xrefAt = Number(m![1]);
  t.equal(s.slice(xrefAt, xrefAt + 5), 'xref\n', 'startxref points at the xref table');
  const head = /^xref\n0 (\d+)\n/.exec(s.slice(xrefAt))!;
  const count = Number(head[1]);
  for (let i = 1; i < count; i++) {
    const entry = s.slice(xrefAt + head[0].length + 20 * i, xrefAt + head[0].length + 20 * (i + 1));
    t.match(entry, /^\d{10} 00000 n \n$/, `xref entry ${i} is 20 bytes`);
    const off = Number(entry.slice(0, 10));
    t.equal(s.slice(off, off + `${i} 0 obj`.length), `${i} 0 obj`, `object ${i} at its offset`);
  }
}

type Check = (t: Test, data: Buffer, doc: PlannedDocument) => Promise<void>;

const checks: Record<FileType, Check> = {
  async pdf(t, data, doc) {
    t.equal(data.subarray(0, 8).toString('latin1'), '%PDF-1.4');
    checkXref(t, data);
    const { numPages, text, info } = await pdfText(data);
    t.equal(numPages, 1);
    t.match(text, doc.controlNumber);
    t.match(text, 'Subject: Q3 forecast (draft) \\ review — café = ok');
    t.match(text, "Author: Zoë O'Brien (Legal)");
    t.equal(info.Title, doc.controlNumber);
    t.equal(info.Author, doc.author);
    t.equal(info.Subject, doc.subject);
    t.equal(info.CreationDate, 'D:20230517090807Z');
  },
  async jpg(t, data, doc) {
    const img = jpeg.decode(data, { useTArray: true, maxMemoryUsageInMB: 64 });
    t.equal(img.width, JPEG_WIDTH);
    t.equal(img.height, JPEG_HEIGHT);
    t.equal((img as { comments?: string[] }).comments?.[0], `Zipper placeholder ${doc.controlNumber}`);
    for (const [bx, by] of [[0, 0], [5, 2], [15, 15]] as const) {
      const i = ((by * 8 + 4) * JPEG_WIDTH + bx * 8 + 4) * 4;
      t.ok(Math.abs(img.data[i]! - jpegBlockLevel(bx, by)) <= 1, `block ${bx},${by} gray level`);
    }
  },
  async tiff(t, data, doc) {
    t.equal(data.subarray(0, 4).toString('latin1'), 'II*\0');
    const ifds = utif.decode(data);
    t.equal(ifds.length, 1);
    const ifd = ifds[0]!;
    t.same(ifd.t259, [4], 'CCITT Group 4');
    t.same(ifd.t262, [0], 'WhiteIsZero');
    t.same(ifd.t269, [doc.controlNumber], 'DocumentName');
    utif.decodeImage(data, ifd);
    t.equal(ifd.width, TIFF_WIDTH);
    t.equal(ifd.height, TIFF_HEIGHT);
    const rgba: Uint8Array = utif.toRGBA8(ifd);
    const bitmap = tiffPageBitmap();
    let wrong = 0;
    let black = 0;
    for (let y = 0; y < TIFF_HEIGHT; y++) {
      for (let x = 0; x < TIFF_WIDTH; x++) {
        const isBlack = rgba[(y * TIFF_WIDTH + x) * 4]! < 128 ? 1 : 0;
        black += isBlack;
        if (isBlack !== bitmap[y]![x]) wrong++;
      }
    }
    t.equal(wrong, 0, 'decoded G4 pixels equal the source page');
    t.ok(black > 10_000, 'the page has a drawing');
  },
  async eml(t, data, doc) {
    const text = data.toString('latin1');
    t.notOk(/[^\r]\n|\r[^\n]/.test(text), 'CRLF line ends only');
    t.notOk(/[\x80-\xff]/.test(text), '7-bit');
    t.ok(text.split('\r\n').every((l) => l.length <= 78), 'lines <= 78');
    const mail = await simpleParser(data);
    t.same(mail.from?.value, [{ address: 'john.smith@example.com', name: 'Smith, John' }]);
    t.same(
      (mail.to as AddressObject).value.map((a) => [a.name, a.address]),
      doc.to.map((p) => [p.name, p.address]),
    );
    t.equal(mail.subject, doc.subject);
    t.equal(mail.date?.toISOString(), doc.dateSent.toISOString());
    t.equal(mail.messageId, '<DOC00000042.ruspdj@zipper.invalid>');
    t.match(mail.text ?? '', `Control Number: ${doc.controlNumber}`);
    t.match(mail.text ?? '', 'Custodian: Custodian 3');
    t.equal(mail.attachments.length, doc.hasAttachment ? 1 : 0, 'padding adds no attachment');
    if (doc.hasAttachment) {
      const a = mail.attachments[0]!;
      t.equal(a.filename, 'DOC00000042_attachment.pdf');
      t.equal(a.contentType, 'application/pdf');
      t.equal(a.content.subarray(0, 5).toString('latin1'), '%PDF-');
      checkXref(t, a.content);
      t.match((await pdfText(a.content)).text, doc.controlNumber);
    }
  },
  async docx(t, data, doc) {
    const parts = new Map((await readZip(data)).map((entry) => [entry.name, entry.data.toString('utf8')]));
    t.same([...parts.keys()].slice(0, 4), ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'docProps/core.xml']);
    for (const [name, text] of parts) if (name.endsWith('.xml') || name.endsWith('.rels')) t.equal(XMLValidator.validate(text), true, `${name} well-formed`);
    t.match(parts.get('word/document.xml'), `Control Number: ${doc.controlNumber}`);
    t.match(parts.get('docProps/core.xml'), `<dc:title>${doc.controlNumber}</dc:title>`);
  },
  async xlsx(t, data, doc) {
    const parts = new Map((await readZip(data)).map((entry) => [entry.name, entry.data.toString('utf8')]));
    t.ok(parts.has('xl/workbook.xml') && parts.has('xl/_rels/workbook.xml.rels'));
    for (const [name, text] of parts) if (name.endsWith('.xml') || name.endsWith('.rels')) t.equal(XMLValidator.validate(text), true, `${name} well-formed`);
    t.match(parts.get('xl/worksheets/sheet1.xml'), `<t>${doc.controlNumber}</t>`);
    t.match(parts.get('xl/worksheets/sheet1.xml'), `<v>${doc.index}</v>`);
  },
};

const cases: [FileType, Partial<PlannedDocument>][] = [
  ['pdf', {}],
  ['jpg', {}],
  ['tiff', {}],
  ['eml', {}],
  ['eml', { hasAttachment: true }],
  ['docx', {}],
  ['xlsx', {}],
];

/** Formats whose checksums or encoding cover the padding: the renderer takes the bytes itself. */
const FILLED_BY_RENDERER = new Set<FileType>(['eml', 'docx', 'xlsx']);

for (const [type, over] of cases) {
  for (const padding of [0, PADDING]) {
    const label = `${type}${over.hasAttachment ? ' with attachment' : ''}, padding ${padding}`;
    t.test(label, async (t) => {
      const doc = fixture(type, { ...over, paddingBytes: padding });
      const parts = renderDocument(doc, { fill });
      const unpadded = partsSize(renderDocument(fixture(type, over)));
      const size = partsSize(parts);
      t.ok(Math.abs(size - (unpadded + padding)) <= 64, `size ${size} ≈ ${unpadded} + ${padding}`);
      t.equal(documentSize(doc), size, 'documentSize agrees without padding');
      if (padding === 0) t.equal(holes(parts), 0, 'no holes without padding');
      else if (!FILLED_BY_RENDERER.has(type)) t.ok(holes(parts) > 0, 'padding is left as holes');
      const data = materialize(parts);
      t.equal(data.length, size);
      await checks[type](t, data, doc);
    });
  }
}

t.test('rendering is deterministic', async (t) => {
  for (const type of TYPES) {
    for (const padding of [0, 5000]) {
      const doc = fixture(type, { paddingBytes: padding, hasAttachment: type === 'eml' });
      const zeros = (n: number): Buffer => Buffer.alloc(n, 7);
      const a = renderDocument(doc, { fill: zeros });
      const b = renderDocument({ ...doc, to: doc.to.map((p) => ({ ...p })) }, { fill: zeros });
      t.same(a, b, `${type} padding ${padding}`);
    }
  }
  const whole = (parts: DocumentPart[]) => Buffer.concat(parts.filter((part): part is Buffer => Buffer.isBuffer(part)));
  const other = whole(renderDocument(fixture('pdf', { controlNumber: 'DOC00000043' })));
  t.not(Buffer.compare(other, whole(renderDocument(fixture('pdf')))), 0, 'another control number, other bytes');
});

t.test('size lands within 64 bytes of unpadded + P for any P', async (t) => {
  const ps = [1, 2, 3, 4, 5, 10, 31, 32, 33, 50, 63, 64, 65, 80, 100, 127, 128, 150, 200, 255, 999, 1000, 65533, 65536, 65537, 65538, 65541, 131074, 131075, 99_999, 100_000, 1_000_003];
  for (let p = 1; p <= 300; p += 7) ps.push(p);
  /** Formats whose checksums or encoding cover the padding: the renderer takes the bytes itself. */
const FILLED_BY_RENDERER = new Set<FileType>(['eml', 'docx', 'xlsx']);

for (const [type, over] of cases) {
    const unpadded = partsSize(renderDocument(fixture(type, over)));
    let worst = 0;
    let inexactAbove200 = 0;
    for (const p of ps) {
      const size = documentSize(fixture(type, { ...over, paddingBytes: p }));
      const err = Math.abs(size - unpadded - p);
      worst = Math.max(worst, err);
      if (p >= 200 && err !== 0) inexactAbove200++;
    }
    t.ok(worst <= 64, `${type}${over.hasAttachment ? '+att' : ''}: worst error ${worst}`);
    t.equal(inexactAbove200, 0, `${type}: exact once P covers the padding structure`);
  }
});

t.test('small paddings stay valid', async (t) => {
  /** Formats whose checksums or encoding cover the padding: the renderer takes the bytes itself. */
const FILLED_BY_RENDERER = new Set<FileType>(['eml', 'docx', 'xlsx']);

for (const [type, over] of cases) {
    for (const p of [1, 3, 4, 5, 40, 70, 90, 130]) {
      const doc = fixture(type, { ...over, paddingBytes: p });
      await t.test(`${type} P=${p}`, async (t) => checks[type](t, materialize(renderDocument(doc, { fill })), doc));
    }
  }
});

t.test('multipage TIFF', async (t) => {
  const data = materialize(renderDocument(fixture('tiff', { paddingBytes: 777 }), { tiffPages: 3 }));
  const ifds = utif.decode(data);
  t.equal(ifds.length, 3);
  for (const [i, ifd] of ifds.entries()) {
    t.same(ifd.t297, [i, 3], 'PageNumber');
    utif.decodeImage(data, ifd);
    t.equal(ifd.height, TIFF_HEIGHT);
  }
});

t.test('email padding: exact preamble of base64-alphabet lines for every size', async (t) => {
  const base = fixture('eml', { hasAttachment: true });
  const plain = materialize(renderDocument(base)).toString('latin1');
  const split = plain.indexOf('--=_DOC00000042\r\n');
  let bad = 0;
  for (let p = 2; p <= 700; p++) {
    const text = materialize(renderDocument({ ...base, paddingBytes: p }, { fill })).toString('latin1');
    const preamble = text.slice(split, split + p);
    const ok =
      text.length === plain.length + p &&
      text.slice(0, split) === plain.slice(0, split) &&
      text.slice(split + p) === plain.slice(split) &&
      /^(?:[A-Za-z0-9+/]{0,76}\r\n)+$/.test(preamble);
    if (!ok) bad++;
  }
  t.equal(bad, 0);
});

t.test('email needs a fill function for padding', async (t) => {
  t.throws(() => renderDocument(fixture('eml', { paddingBytes: 1000 })));
  t.doesNotThrow(() => renderDocument(fixture('eml')));
});

t.test('headers that need encoding or folding', async (t) => {
  const doc = fixture('eml', {
    subject: 'A very long subject line that certainly needs folding because it goes on and on past 78 columns',
    from: { name: 'Dr. "Quote" \\ Person', address: 'dr@example.com' },
    to: Array.from({ length: 8 }, (_, i) => ({ name: `Recipient Number ${i}`, address: `r${i}@example.com` })),
  });
  const data = materialize(renderDocument(doc));
  t.ok(data.toString('latin1').split('\r\n').every((l) => l.length <= 78));
  const mail = await simpleParser(data);
  t.equal(mail.subject, doc.subject);
  t.same(mail.from?.value[0], { name: 'Dr. "Quote" \\ Person', address: 'dr@example.com' });
  t.equal((mail.to as AddressObject).value.length, 8);
});

t.test('extracted text', async (t) => {
  const pdf = extractedText(fixture('pdf'));
  t.match(pdf, /^DOC00000042\r\nSubject: Q3 forecast/);
  t.match(pdf, 'Custodian: Custodian 3\r\n');
  t.match(pdf, 'Date: 2023-05-17T09:08:07Z\r\n');
  const eml = extractedText(fixture('eml', { hasAttachment: true }));
  t.match(eml, 'From: Smith, John <john.smith@example.com>\r\n');
  t.match(eml, 'To: Zoë Müller <zoe@example.org>, Bob <bob@example.net>, Carol Q. Public <carol@example.com>\r\n');
  t.match(eml, 'Date: Wed, 17 May 2023 09:08:07 +0000\r\n');
  t.match(eml, 'Control Number: DOC00000042\r\n');
  t.match(eml, 'Attachment: DOC00000042_attachment.pdf\r\n');
});

t.test('documentSize of every unpadded PDF and attachment of a plan equals its rendered length', async (t) => {
  const { ArchivePlan } = await import('../../src/generator/plan.js');
  const { HARD_MAX_COUNT, defaultConfig } = await import('../../src/config.js');
  const { archiveRequestSchema } = await import('../../src/schemas/archive-request.js');
  const fields = archiveRequestSchema({ ...defaultConfig.limits, maxCount: HARD_MAX_COUNT }, 'json').parse({
    count: 3000,
    fileTypes: { pdf: 50, eml: 50 },
    attachmentRate: 50,
    withFamilies: true,
    withMetadata: true,
  });
  const plan = new ArchivePlan({ ...fields, seed: 99 });
  let checked = 0;
  let mismatches = 0;
  for (let index = 1; index <= plan.count; index++) {
    for (const doc of plan.family(index)) {
      if (doc.type !== 'pdf') continue;
      checked++;
      if (documentSize(doc) !== partsSize(renderDocument(doc))) mismatches++;
    }
  }
  t.ok(checked > 2000, `${checked} PDFs and attachments checked`);
  t.equal(mismatches, 0, 'no size differs from the rendered bytes');
});
