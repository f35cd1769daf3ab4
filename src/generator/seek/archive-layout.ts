import type { SpillFile } from '../spill/spill-file.js';

/** Where a batch of documents begins in an archive: enough to start making the archive there. */
export interface SeekPoint {
  /** The batch's first document (numbered from 1, as the plan numbers them). */
  document: number;
  /** Its first byte in the archive. */
  offset: number;
  /** Entries before it. */
  entries: number;
  /** Bytes of those entries' central headers (a ZIP's; 0 in a tar). */
  centralBytes: number;
}

/** Read chunks of a kept file. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * A file of archive bytes kept after its generation ended (central headers, or an archive's tail),
 * read by every range that starts past its beginning: removed once the cache has let it go and the
 * last reader is done.
 */
export class SharedFile {
  private holders = 1;

  constructor(private readonly file: SpillFile) {}

  get bytes(): number {
    return this.file.length;
  }

  /** One more holder (a range being made); each calls release() once. */
  retain(): this {
    if (this.holders === 0) throw new Error('SharedFile: retained after its release');
    this.holders++;
    return this;
  }

  release(): void {
    if (--this.holders === 0) this.file.dispose();
  }

  /** Its bytes from `start` (0 by default) to before `end` (the end by default). */
  read(end = this.file.length, start = 0): AsyncGenerator<Buffer> {
    return this.file.read(READ_CHUNK_BYTES, end, start);
  }
}

/**
 * The bytes of an archive from a seek point to its end, as written: usually from its documents' end
 * (load files, answer key, central directory, end records); from a cut download's last point when
 * they were copied while its rest was measured (so that the resume after it is read, not made).
 */
export interface ArchiveTail {
  /** Where they begin in the archive. */
  offset: number;
  /** The first document they hold (count + 1 when they begin at the documents' end). */
  document: number;
  file: SharedFile;
}

/**
 * An archive's layout as one generation of it learnt it: where each batch of documents began and,
 * if it ran to the end, its length and tail (the bytes after its documents); if it was cut, the
 * central headers written before it stopped (a ZIP's). Archives are a pure function of their
 * request, so every later generation of the same request (same ETag) has this layout: a range can
 * start at the seek point before its first byte, and a complete layout's tail is read, not made.
 */
export class ArchiveLayout {
  constructor(
    /** In archive order; a complete layout's last point is its documents' end (document count + 1). */
    readonly points: readonly SeekPoint[],
    /** A cut ZIP's central headers of the entries before its last point (at least); null for a tar or a complete layout. */
    readonly central: SharedFile | null,
    /** A complete layout's tail. */
    readonly tail: ArchiveTail | null,
    /** The archive's length, when the generation ran to its end. */
    readonly length: number | undefined,
  ) {}

  /** How far into the archive a range can start from a point without making what comes before. */
  get reach(): number {
    return this.length ?? this.points.at(-1)?.offset ?? 0;
  }

  /** Disk bytes it keeps (central headers or tail). */
  get bytes(): number {
    return (this.central?.bytes ?? 0) + (this.tail?.file.bytes ?? 0);
  }

  /** The last point at or before `offset`, if any. */
  pointAt(offset: number): SeekPoint | undefined {
    let low = 0;
    let high = this.points.length; // the answer is points[low − 1]
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.points[middle]!.offset <= offset) low = middle + 1;
      else high = middle;
    }
    return this.points[low - 1];
  }

  /**
   * Where a generation starting at `point` takes its state from, its files retained for it (the
   * writer releases them): with a tail, it makes the documents from the point and then writes the
   * tail; else it makes the rest of the archive after the central headers before the point.
   */
  seekTo(point: SeekPoint): ArchiveSeek {
    if (this.tail) return { point, central: null, tail: { ...this.tail, file: this.tail.file.retain() } };
    return { point, central: this.central?.retain() ?? null, tail: null };
  }

  /** Its points up to `point` (a generation that starts there and records goes on from them). */
  pointsTo(point: SeekPoint): SeekPoint[] {
    return this.points.filter((known) => known.offset <= point.offset);
  }

  /** Lets its files go (the cache's hold). */
  release(): void {
    this.central?.release();
    this.tail?.file.release();
  }
}

/** What a generation starting mid-archive needs: the point, and the central headers before it or the archive's tail, retained for it. */
export interface ArchiveSeek {
  point: SeekPoint;
  central: SharedFile | null;
  tail: ArchiveTail | null;
}

/** Lets a seek's files go (once, by whoever holds it: the writer that started with it, or whoever refused it). */
export function releaseSeek(seek: ArchiveSeek): void {
  seek.central?.release();
  seek.tail?.file.release();
}

/** How a writer's generation ended, for its recorder: files handed over (the recorder owns them). */
export interface WriterEnd {
  /** Cut: the central headers written (a ZIP's); null when complete. */
  central: SpillFile | null;
  /** Complete: the bytes copied to the end, where they began and their first document. */
  tail: { offset: number; document: number; file: SpillFile } | null;
  /** Complete: the archive's length. */
  length: number | undefined;
}

/** What an archive writer tells of its layout as it writes: the seek points, then once how it ended. */
export interface LayoutRecorder {
  /** A tail longer than this is not kept (the cache could not hold it): the writer stops copying it. */
  readonly maxTailBytes: number;
  /** A generation that starts mid-archive copies every byte it writes, not only those after its documents (within maxTailBytes). */
  readonly copyFromStart: boolean;
  point(point: SeekPoint): void;
  end(end: WriterEnd): void;
}

export interface RecordLayoutOptions {
  /** The points before where a generation that starts mid-archive begins. */
  known?: readonly SeekPoint[];
  maxTailBytes?: number;
  copyFromStart?: boolean;
}

/**
 * Collects a generation's layout and hands it to `done` when the writer ends (complete, or cut). A
 * complete generation without its tail (longer than `maxTailBytes`) tells its length only: no points.
 */
export function recordLayout(done: (layout: ArchiveLayout) => void, options: RecordLayoutOptions = {}): LayoutRecorder {
  let points: SeekPoint[] = [...(options.known ?? [])];
  let ended = false;
  return {
    maxTailBytes: options.maxTailBytes ?? Number.POSITIVE_INFINITY,
    copyFromStart: options.copyFromStart ?? false,
    point: (point) => {
      if (!ended && !(points.length > 0 && points.at(-1)!.offset >= point.offset)) points.push(point);
    },
    end: ({ central, tail, length }) => {
      if (ended) {
        central?.dispose();
        tail?.file.dispose();
        return;
      }
      ended = true;
      if (length !== undefined && !tail) points = [];
      const kept = tail ? { ...tail, file: new SharedFile(tail.file) } : null;
      done(new ArchiveLayout(points, central && new SharedFile(central), kept, length));
    },
  };
}
