/**
 * Chaos in documents and in the archive: which documents (1 … count) are broken, by which type.
 * Like the load files' lines, targets are chosen by a seeded permutation (document i's fate is
 * decided alone: workers, the load file and the answer key agree) and types are dealt round-robin.
 * An attachment that is a document of its own shares its email's fate only where the type says so
 * (none does: anomalies hit the document i itself).
 */
import { documentSize } from '../documents/index.js';
import type { ArchivePlan } from '../plan.js';
import { Rng, Stream } from '../random.js';
import type { PlannedDocument } from '../types.js';
import { SCENARIOS, targetCount, typesOfKind, type ChaosType } from './catalogue.js';
import { applyByteAnomaly, BYTE_ANOMALIES, byteAnomalySize, describeByteAnomaly, type ByteAnomaly } from './document-anomalies.js';
import { chaosAmount } from './loadfile-chaos.js';
import { Permutation } from './permutation.js';

const SALT = 0x646f63;
/** Streams of the draws an anomaly makes for document i (byte anomalies, size mismatches). */
const DRAWS = 0x6472;

/**
 * One kind's targets: documents whose rank in the plan's permutation falls in [first, first + count).
 * Documents come first, the archive's entries next: no document is both (a missing document has no
 * entry to duplicate).
 */
export class DocumentChaos {
  constructor(
    readonly kind: 'document' | 'archive',
    readonly types: ChaosType[],
    private readonly permutation: Permutation,
    private readonly first: number,
    readonly count: number,
  ) {}

  /** The type breaking document i (1-based), or null. */
  typeAt(index: number): ChaosType | null {
    if (this.count === 0) return null;
    const rank = this.permutation.permute(index - 1) - this.first;
    return rank >= 0 && rank < this.count ? this.types[rank % this.types.length]! : null;
  }

  /** The broken documents, in archive order. */
  chosen(): Float64Array {
    const indexes = new Float64Array(this.count);
    for (let rank = 0; rank < this.count; rank++) indexes[rank] = this.permutation.invert(this.first + rank) + 1;
    return indexes.sort();
  }
}

function enabled(plan: ArchivePlan, kind: 'document' | 'archive'): ChaosType[] {
  const chaos = plan.request.chaos;
  if (!chaos) return [];
  const asked = chaos.types ?? (chaos.scenario ? SCENARIOS[chaos.scenario].types : null) ?? [];
  const ofKind = typesOfKind(kind);
  return [...new Set(asked)].filter((type) => ofKind.includes(type));
}

// Keyed by the request: a plan and the same plan with padding share it.
const byRequest = new WeakMap<object, { document: DocumentChaos | null; archive: DocumentChaos | null }>();

/** The plan's document and archive chaos (null where no such type is asked for). */
export function targetChaos(plan: ArchivePlan): { document: DocumentChaos | null; archive: DocumentChaos | null } {
  let chaos = byRequest.get(plan.request);
  if (!chaos) {
    const permutation = new Permutation(plan.count, plan.request.seed, Stream.chaos ^ SALT);
    const documentTypes = enabled(plan, 'document');
    const archiveTypes = enabled(plan, 'archive');
    const documents = documentTypes.length === 0 ? 0 : targetCount(chaosAmount(plan), plan.count);
    const entries = archiveTypes.length === 0 ? 0 : Math.min(targetCount(chaosAmount(plan), plan.count), plan.count - documents);
    chaos = {
      document: documents === 0 ? null : new DocumentChaos('document', documentTypes, permutation, 0, documents),
      archive: entries === 0 ? null : new DocumentChaos('archive', archiveTypes, permutation, documents, entries),
    };
    byRequest.set(plan.request, chaos);
  }
  return chaos;
}

/** The anomaly of a document of the load file (an attachment row has none of its own), or null. */
export function documentAnomaly(plan: ArchivePlan, doc: PlannedDocument): ChaosType | null {
  if (!plan.request.chaos || doc.attachmentOf !== null) return null;
  return targetChaos(plan).document?.typeAt(doc.index) ?? null;
}

function draws(plan: ArchivePlan, index: number): Rng {
  return new Rng(plan.request.seed, Stream.chaos ^ DRAWS, index);
}

function isByteAnomaly(type: ChaosType | null): type is ByteAnomaly {
  return (BYTE_ANOMALIES as readonly string[]).includes(type ?? '');
}

/** A native's stored bytes with its byte anomaly applied (the bytes the archive holds and hashes). */
export function withByteAnomaly(plan: ArchivePlan, doc: PlannedDocument, segments: Buffer[]): Buffer[] {
  const type = documentAnomaly(plan, doc);
  return isByteAnomaly(type) ? applyByteAnomaly(type, doc, segments, draws(plan, doc.index)) : segments;
}

/** How far a doc-size-mismatch's File Size is off: 1 … 4,096 bytes, more or less (seeded). */
function sizeError(plan: ArchivePlan, doc: PlannedDocument, real: number): number {
  const rng = draws(plan, doc.index);
  const error = 1 + rng.below(4096);
  return rng.below(2) === 0 || real < error ? error : -error;
}

/**
 * The File Size the load file gives: the native's real size in the archive (after a byte anomaly),
 * except for a doc-size-mismatch.
 */
export function reportedSize(plan: ArchivePlan, doc: PlannedDocument, size: (doc: PlannedDocument) => number): number {
  const type = documentAnomaly(plan, doc);
  if (isByteAnomaly(type)) return byteAnomalySize(type, doc, draws(plan, doc.index));
  const real = size(doc);
  return type === 'doc-size-mismatch' ? real + sizeError(plan, doc, real) : real;
}

/** Entry name of a doc-extra's file: beside the document, not in any load file. */
export function extraName(doc: PlannedDocument): string {
  const dot = doc.path.lastIndexOf('.');
  return `${doc.path.slice(0, dot)}_extra${doc.path.slice(dot)}`;
}

/** One answer-key entry of a document or of the archive. */
export interface TargetAnomaly {
  target: 'document' | 'archive';
  file: string;
  recordId: string;
  column: string;
  type: ChaosType;
  description: string;
}

function describe(plan: ArchivePlan, index: number, type: ChaosType, kind: 'document' | 'archive'): TargetAnomaly {
  const doc = plan.document(index);
  const entry = (file: string, column: string, description: string): TargetAnomaly => ({ target: kind, file, recordId: doc.controlNumber, column, type, description });
  if (isByteAnomaly(type)) return entry(doc.path, 'N/A', describeByteAnomaly(type, doc, draws(plan, index)));
  switch (type) {
    case 'doc-size-mismatch': {
      const real = documentSize(doc);
      const given = real + sizeError(plan, doc, real);
      return entry(doc.path, 'File Size', `The load file gives ${given} bytes; the file has ${real}.`);
    }
    case 'doc-missing':
      return entry(doc.path, 'N/A', 'Listed in the load files, absent from the archive.');
    case 'doc-extra':
      return entry(extraName(doc), 'N/A', `In the archive (a copy of ${doc.path}), in no load file.`);
    case 'zip-duplicate-name':
      return entry(doc.path, 'N/A', 'Two entries of the archive have this path (the same bytes twice).');
    default:
      throw new Error(`not a document or archive type: ${type}`);
  }
}

/** The documents' and the archive's anomalies, in archive order (document by document), one at a time. */
export function* targetAnomalies(plan: ArchivePlan): Generator<TargetAnomaly> {
  const { document, archive } = targetChaos(plan);
  const documents = document?.chosen() ?? new Float64Array(0);
  const entries = archive?.chosen() ?? new Float64Array(0);
  // No document is both: merge the two sorted lists.
  let d = 0;
  let e = 0;
  while (d < documents.length || e < entries.length) {
    if (e >= entries.length || (d < documents.length && documents[d]! < entries[e]!)) {
      const index = documents[d++]!;
      yield describe(plan, index, document!.typeAt(index)!, 'document');
    } else {
      const index = entries[e++]!;
      yield describe(plan, index, archive!.typeAt(index)!, 'archive');
    }
  }
}
