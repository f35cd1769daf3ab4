import t from 'tap';
import { HARD_MAX_COUNT, defaultConfig } from '../../src/config.js';
import { applyByteAnomaly, BYTE_ANOMALIES, byteAnomalySize, describeByteAnomaly, type ByteAnomaly } from '../../src/generator/chaos/document-anomalies.js';
import { documentSegments } from '../../src/generator/entries.js';
import { ArchivePlan } from '../../src/generator/plan.js';
import { Rng } from '../../src/generator/random.js';
import type { ResolvedRequest } from '../../src/generator/request.js';
import { FILE_TYPES, type FileType, type PlannedDocument } from '../../src/generator/types.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';

const STREAM = 0x63686173;

function request(fields: Record<string, unknown>): ResolvedRequest {
  const parsed = archiveRequestSchema({ ...defaultConfig.limits, maxCount: HARD_MAX_COUNT }, 'json').parse(fields);
  return { ...parsed, seed: (fields.seed as number | undefined) ?? 7 };
}

function planFor(type: FileType, padding = 0): ArchivePlan {
  const extra = type === 'eml' ? { attachmentRate: 50 } : {};
  const plan = new ArchivePlan(request({ count: 20, fileType: type, seed: 11, ...extra }));
  return padding > 0 ? plan.withPadding({ base: padding, remainder: 0 }) : plan;
}

const MAGIC: Record<FileType, Buffer> = {
  pdf: Buffer.from('%PDF-'),
  jpg: Buffer.from([0xff, 0xd8, 0xff]),
  tiff: Buffer.from('II*\0', 'latin1'),
  eml: Buffer.from('From: '),
  docx: Buffer.from('PK\x03\x04', 'latin1'),
  xlsx: Buffer.from('PK\x03\x04', 'latin1'),
};

function apply(anomaly: ByteAnomaly, plan: ArchivePlan, doc: PlannedDocument, seed: number): Buffer {
  return Buffer.concat(applyByteAnomaly(anomaly, doc, documentSegments(plan, doc), new Rng(seed, STREAM, doc.index)));
}

for (const type of FILE_TYPES) {
  for (const padding of [0, 70_000]) {
    t.test(`${type}${padding ? ' padded' : ''}: lengths as promised, deterministic, input untouched`, async (t) => {
      const plan = planFor(type, padding);
      const shares: number[] = [];
      for (let index = 1; index <= 20; index++) {
        const doc = plan.document(index);
        const segments = documentSegments(plan, doc);
        const original = Buffer.concat(segments);
        for (const anomaly of BYTE_ANOMALIES) {
          const rng = () => new Rng(5, STREAM, index);
          const out = applyByteAnomaly(anomaly, doc, segments, rng());
          const bytes = Buffer.concat(out);
          t.ok(Buffer.concat(segments).equals(original), `${anomaly}: segments unchanged`);
          t.ok(bytes.equals(apply(anomaly, plan, doc, 5)), `${anomaly}: same seed, same bytes`);
          t.equal(bytes.length, byteAnomalySize(anomaly, doc, rng()), `${anomaly}: byteAnomalySize`);
          t.equal(describeByteAnomaly(anomaly, doc, rng()), describeByteAnomaly(anomaly, doc, rng()), `${anomaly}: same description`);
          switch (anomaly) {
            case 'doc-truncated':
              t.ok(bytes.length >= 1 && bytes.length < original.length, `truncated to ${bytes.length} of ${original.length}`);
              t.ok(original.subarray(0, bytes.length).equals(bytes), 'a prefix of the original');
              shares.push(bytes.length / original.length);
              t.match(describeByteAnomaly(anomaly, doc, rng()), new RegExp(`\\(${bytes.length.toLocaleString('en-US')} bytes? kept\\)`), 'the key names the kept length');
              break;
            case 'doc-corrupt': {
              t.equal(bytes.length, original.length, 'same length');
              let differ = 0;
              for (let k = 0; k < bytes.length; k++) if (bytes[k] !== original[k]) differ++;
              t.ok(differ >= 1 && differ <= 16, `a few bytes overwritten (${differ})`);
              break;
            }
            case 'doc-zero-byte':
              t.equal(bytes.length, 0, 'empty');
              t.same(out, [], 'no segments');
              break;
            case 'doc-wrong-extension': {
              const other = FILE_TYPES.find((o) => o !== type && bytes.subarray(0, MAGIC[o].length).equals(MAGIC[o]) && describeByteAnomaly(anomaly, doc, rng()).includes(` ${o === 'eml' ? 'an email' : o === 'jpg' ? 'a JPEG' : `a ${o.toUpperCase()}`} `));
              t.ok(other, `another type's bytes: ${describeByteAnomaly(anomaly, doc, rng())}`);
              t.notOk(bytes.subarray(0, MAGIC[type].length).equals(MAGIC[type]) && type !== 'docx' && type !== 'xlsx', 'not its own magic');
              break;
            }
          }
        }
      }
      // Shares: within 20–80 % where the type does not move the cut (an email or a short PDF may).
      if (type === 'jpg' || type === 'tiff' || type === 'docx' || type === 'xlsx') {
        t.ok(shares.every((s) => s >= 0.19 && s <= 0.81), `shares within 20–80 %: ${shares.map((s) => s.toFixed(2)).join(' ')}`);
      }
      t.ok(new Set(shares.map((s) => s.toFixed(3))).size > 5, 'cuts land at different places');
    });
  }
}

t.test('another seed, another cut; the wrong type is drawn too', async (t) => {
  const plan = planFor('pdf');
  const doc = plan.document(3);
  const cuts = new Set<number>();
  const others = new Set<string>();
  for (let seed = 1; seed <= 30; seed++) {
    cuts.add(apply('doc-truncated', plan, doc, seed).length);
    others.add(apply('doc-wrong-extension', plan, doc, seed).subarray(0, 2).toString('hex'));
  }
  t.ok(cuts.size > 10, `${cuts.size} different cuts`);
  t.ok(others.size >= 3, `${others.size} different other types`);
});

t.test('descriptions read as one sentence with sizes', async (t) => {
  const plan = planFor('pdf');
  const doc = plan.document(1);
  for (const anomaly of BYTE_ANOMALIES) {
    const text = describeByteAnomaly(anomaly, doc, new Rng(9, STREAM, 1));
    t.match(text, /^[A-Z].*\.$/, `${anomaly}: ${text}`);
    t.match(text, /\d{1,3}(,\d{3})* bytes/, 'says a size');
  }
});

t.test('a single-part email is cut inside its headers, a multipart one after them', async (t) => {
  const plan = planFor('eml');
  for (let index = 1; index <= 20; index++) {
    const doc = plan.document(index);
    const bytes = apply('doc-truncated', plan, doc, 3).toString('latin1');
    const description = describeByteAnomaly('doc-truncated', doc, new Rng(3, STREAM, index));
    if (doc.hasAttachment) {
      t.ok(bytes.includes('\r\n\r\n') && !bytes.includes(`--=_${doc.controlNumber}--`), `${doc.controlNumber}: headers whole, no closing boundary`);
    } else {
      t.notOk(bytes.includes('\r\n\r\n'), `${doc.controlNumber}: no blank line after the headers`);
      const last = bytes.slice(bytes.lastIndexOf('\r\n') + 2);
      t.notOk(last.includes(':'), `last line "${last}" has no colon`);
      t.ok(description.includes(`"${last}"`), 'the key quotes it');
    }
  }
});
