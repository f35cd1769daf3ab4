/**
 * Fidelity: every byte anomaly breaks every document type for the type's own tool, padded or not —
 * qpdf --check, djpeg, tiffinfo -D, check_eml.py (Python's email parser, defects), check_ooxml.py
 * (python-docx / openpyxl) — while the untouched document of the same plan passes the same tool,
 * so no case can pass vacuously. Documents come straight from the plan and the renderers (no HTTP).
 */
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HARD_MAX_COUNT, defaultConfig } from '../../src/config.js';
import { applyByteAnomaly, BYTE_ANOMALIES, byteAnomalySize, describeByteAnomaly, type ByteAnomaly } from '../../src/generator/chaos/document-anomalies.js';
import { documentSegments } from '../../src/generator/entries.js';
import { ArchivePlan, EXTENSIONS } from '../../src/generator/plan.js';
import { Rng } from '../../src/generator/random.js';
import type { ResolvedRequest } from '../../src/generator/request.js';
import { FILE_TYPES, type FileType, type PlannedDocument } from '../../src/generator/types.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { tempDir } from './lib/files.js';
import { FIDELITY_DIR, PYTHON, describeResult, mapLimit, requireTool, run } from './lib/process.js';

/** Documents per (type, padding): each gets its own Rng, so truncation lands at several places. */
const DOCS = 6;
const PADDING = 40_000;
const CHAOS_STREAM = 0x63686173;

function request(fields: Record<string, unknown>): ResolvedRequest {
  const parsed = archiveRequestSchema({ ...defaultConfig.limits, maxCount: HARD_MAX_COUNT }, 'json').parse(fields);
  return { ...parsed, seed: (fields.seed as number | undefined) ?? 7 };
}

function planFor(type: FileType, padded: boolean): ArchivePlan {
  const extra: Record<string, unknown> = {};
  if (type === 'eml') extra.attachmentRate = 50; // single-part and multipart emails
  if (type === 'tiff') extra.tiffPages = { min: 1, max: 3 };
  const plan = new ArchivePlan(request({ count: DOCS, fileType: type, seed: 2026, ...extra }));
  return padded ? plan.withPadding({ base: PADDING, remainder: 0 }) : plan;
}

const rngOf = (doc: PlannedDocument, anomaly: ByteAnomaly) => new Rng(2026 + BYTE_ANOMALIES.indexOf(anomaly), CHAOS_STREAM, doc.index);

interface Verdict {
  ok: boolean;
  detail: string;
}

/** The type's own tool on each file: ok = it accepts the file. */
async function verdicts(type: FileType, files: readonly string[]): Promise<Verdict[]> {
  switch (type) {
    case 'pdf':
      requireTool('qpdf', 'qpdf');
      return mapLimit(files, 8, async (f) => {
        const r = await run('qpdf', ['--check', f]);
        return { ok: r.code === 0 && /No syntax or stream encoding errors found/.test(r.stdout), detail: describeResult(r) };
      });
    case 'jpg':
      requireTool('djpeg', 'libjpeg-turbo-progs');
      return mapLimit(files, 8, async (f) => {
        const r = await run('djpeg', ['-outfile', '/dev/null', f]);
        return { ok: r.code === 0 && r.stderr.trim() === '', detail: describeResult(r) };
      });
    case 'tiff':
      requireTool('tiffinfo', 'libtiff-tools');
      return mapLimit(files, 8, async (f) => {
        // -D reads (decodes) the image data: truncated strips show only there.
        const r = await run('tiffinfo', ['-D', f]);
        return { ok: r.code === 0 && r.stderr.trim() === '' && /^TIFF Directory at offset/m.test(r.stdout), detail: describeResult(r) };
      });
    case 'eml':
    case 'docx':
    case 'xlsx': {
      // One Python process for all files; each failure is a line naming its file.
      requireTool(PYTHON, 'python3');
      const program = type === 'eml' ? 'check_eml.py' : 'check_ooxml.py';
      const r = await run(PYTHON, [join(FIDELITY_DIR, program), ...files]);
      const lines = (r.stdout + '\n' + r.stderr).split('\n');
      return files.map((f) => {
        const mine = lines.filter((l) => l.includes(f + ':'));
        return { ok: mine.length === 0 && r.code !== null, detail: mine.join('\n') || describeResult(r) };
      });
    }
  }
}

const TOOL: Record<FileType, string> = {
  pdf: 'qpdf --check',
  jpg: 'djpeg',
  tiff: 'tiffinfo -D',
  eml: 'check_eml.py (email policy.default defects + policy.strict)',
  docx: 'python-docx',
  xlsx: 'openpyxl',
};

for (const type of FILE_TYPES) {
  for (const padded of [false, true]) {
    t.test(`${type}${padded ? `, padded by ${PADDING} bytes` : ''}: the ${TOOL[type]} rejects every anomaly, accepts the original`, async (t) => {
      const dir = await tempDir(t);
      const plan = planFor(type, padded);
      const ext = EXTENSIONS[type];
      const cases: Array<{ file: string; doc: PlannedDocument; anomaly: ByteAnomaly | null; description: string }> = [];
      const docs: Array<[ArchivePlan, PlannedDocument]> = [];
      for (let index = 1; index <= DOCS; index++) docs.push([plan, plan.document(index)]);
      if (type === 'pdf' && !padded) {
        // An email's attachment that is a document of its own (withFamilies): a PDF too.
        const families = new ArchivePlan(request({ count: 2, fileType: 'eml', attachmentRate: 100, withFamilies: true, seed: 2026 }));
        for (const index of [1, 2]) docs.push([families, families.family(index)[1]!]);
      }
      for (const [n, [plan, doc]] of docs.entries()) {
        const index = n + 1;
        const segments = documentSegments(plan, doc);
        const original = join(dir, `original_${index}.${ext}`);
        await writeFile(original, Buffer.concat(segments));
        cases.push({ file: original, doc, anomaly: null, description: 'untouched' });
        for (const anomaly of BYTE_ANOMALIES) {
          const bytes = Buffer.concat(applyByteAnomaly(anomaly, doc, segments, rngOf(doc, anomaly)));
          t.equal(bytes.length, byteAnomalySize(anomaly, doc, rngOf(doc, anomaly)), `${anomaly} ${doc.controlNumber}: size as promised`);
          t.ok(Buffer.concat(segments).equals(Buffer.concat(documentSegments(plan, doc))), `${anomaly}: input segments untouched`);
          const file = join(dir, `${anomaly}_${index}.${ext}`);
          await writeFile(file, bytes);
          cases.push({ file, doc, anomaly, description: describeByteAnomaly(anomaly, doc, rngOf(doc, anomaly)) });
        }
      }
      if (type === 'eml') {
        const kinds = new Set(cases.map((c) => c.doc.hasAttachment));
        t.same([...kinds].sort(), [false, true], 'emails with and without an attachment');
      }
      const results = await verdicts(type, cases.map((c) => c.file));
      const seen = new Map<string, string>();
      cases.forEach((c, k) => {
        const v = results[k]!;
        const label = `${c.anomaly ?? 'original'} ${c.doc.controlNumber}${c.doc.hasAttachment ? ' (with attachment)' : ''}${c.doc.attachmentOf ? ' (an email\'s attachment)' : ''}`;
        if (c.anomaly === null) t.ok(v.ok, `${label}: ${TOOL[type]} accepts it`, { detail: v.detail });
        else {
          t.notOk(v.ok, `${label}: ${TOOL[type]} rejects it — ${c.description}`, { detail: v.detail });
          // Errors, not warnings: qpdf exits 2 (3 would be "warnings only").
          if (type === 'pdf') t.match(v.detail, /: exit 2\n/, `${label}: qpdf exits 2 (errors)`);
          // Anything not empty is a message with defects the parser itself reports.
          if (type === 'eml' && c.anomaly !== 'doc-zero-byte') t.match(v.detail, /Defect/, `${label}: the email parser reports a defect`);
          if (!seen.has(c.anomaly)) seen.set(c.anomaly, firstLine(v.detail));
        }
      });
      for (const [anomaly, said] of seen) t.comment(`${anomaly}: ${said}`);
    });
  }
}

/** The tool's first line of complaint (for the log). */
function firstLine(detail: string): string {
  const lines = detail.split('\n').map((l) => l.trim()).filter((l) => l && !/^(stdout|stderr):$/.test(l) && !/: exit \d+$/.test(l));
  return (lines.find((l) => /error|warn|fail|defect|not|bad|premature|unsupported|cannot|can't|damaged/i.test(l)) ?? lines[0] ?? '').slice(0, 200);
}
