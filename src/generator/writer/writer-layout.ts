import { releaseSeek, type ArchiveSeek, type LayoutRecorder, type SeekPoint } from '../seek/archive-layout.js';
import { SpillFile } from '../spill/spill-file.js';
import type { ChunkedOutput } from './chunked-output.js';

/** A recorded tail's file (kept for ranges by a layout, not a spill left behind). */
export const LAYOUT_TAIL_FILE = 'layout-tail.bin';

export interface WriterLayoutOptions {
  /** The generation starts at this point (the writer's output begins at its offset). */
  seek?: ArchiveSeek;
  /** Told the seek points, then the tail (complete) or the central headers (cut). */
  recorder?: LayoutRecorder;
  /** Where a recorded tail is written. */
  tempDir: string;
}

/**
 * An archive writer's part in seeking (shared by the ZIP and tar writers): it tells a recorder where
 * each batch of documents begins and keeps a copy of the bytes to the end (the tail) in a file —
 * from the documents' end, or from where it starts mid-archive (copyFromStart, while the copy stays
 * within bounds); given a seek with a known tail, it writes that tail instead of making it.
 */
export class WriterLayout {
  private tail: { offset: number; document: number; file: SpillFile } | null = null;
  /** Copying from the start is still wanted (until a copy from there runs out of bounds). */
  private copyFromStart: boolean;
  /** A copy from the documents' end ran out of bounds: no tail for this generation. */
  private abandoned = false;
  private ended = false;
  private released = false;

  constructor(
    private readonly out: ChunkedOutput,
    private readonly options: WriterLayoutOptions,
  ) {
    this.copyFromStart = Boolean(options.recorder?.copyFromStart && options.seek);
  }

  /** A batch beginning with `point.document` is written next; `documentsEnd`: no document follows (the tail does). */
  point(point: SeekPoint, documentsEnd: boolean): void {
    const { recorder } = this.options;
    if (!recorder || this.ended) return;
    recorder.point(point);
    if (!this.tail && !this.abandoned && (documentsEnd || this.copyFromStart)) this.copyFrom(point, recorder.maxTailBytes);
  }

  /** Copies every byte written from `point` on into a file, while they stay within `maxBytes`. */
  private copyFrom(point: SeekPoint, maxBytes: number): void {
    const tail = { offset: point.offset, document: point.document, file: new SpillFile(this.options.tempDir, LAYOUT_TAIL_FILE) };
    const fromDocumentsEnd = !this.copyFromStart;
    this.tail = tail;
    const giveUp = (mayRetry: boolean) => {
      tail.file.dispose();
      this.tail = null;
      if (!mayRetry) this.abandoned = true;
      this.copyFromStart = false;
    };
    this.out.tee((chunk) => {
      if (this.tail !== tail) return;
      try {
        tail.file.append([chunk]);
      } catch {
        // The copy only speeds up later ranges: a full disk must not break the download it copies.
        giveUp(false);
        return;
      }
      // Too long to keep: no more copying. From the start, a copy from the documents' end may still fit.
      if (tail.file.length > maxBytes) giveUp(!fromDocumentsEnd);
    });
  }

  /**
   * With a seek that knows the archive's tail: writes it from where the output is (the rest of the
   * archive, not made again) and returns true.
   */
  async writeKnownTail(): Promise<boolean> {
    const tail = this.options.seek?.tail;
    if (!tail) return false;
    const skip = this.out.offset - tail.offset;
    if (skip < 0) throw new Error(`the documents stopped at byte ${this.out.offset}, before the tail's ${tail.offset}`);
    for await (const chunk of tail.file.read(undefined, skip)) {
      this.out.write(chunk);
      await this.out.drained();
    }
    return true;
  }

  /** The archive ended whole, `length` bytes (after the output's end: the tail's last chunk is in its file). */
  complete(length: number): void {
    if (this.ended) return;
    this.ended = true;
    const tail = this.tail;
    this.tail = null;
    this.options.recorder?.end({ central: null, tail, length });
  }

  /**
   * The archive was cut (or failed): the recorder gets the central headers written so far; none
   * when it started mid-archive (its headers are not whole: what it learnt is lost).
   */
  cut(central: () => SpillFile | null): void {
    if (this.ended) return;
    this.ended = true;
    this.tail?.file.dispose();
    this.tail = null;
    if (this.options.seek || !this.options.recorder) return;
    let headers: SpillFile | null;
    try {
      headers = central();
    } catch {
      return; // its headers could not be kept (a full disk): nothing learnt, the archive's end is unaffected
    }
    this.options.recorder.end({ central: headers, tail: null, length: undefined });
  }

  /** Lets the seek's files go (its central headers are read by the ZIP writer's directory until then); safe to call more than once. */
  dispose(): void {
    const { seek } = this.options;
    if (seek && !this.released) {
      this.released = true;
      releaseSeek(seek);
    }
  }
}
