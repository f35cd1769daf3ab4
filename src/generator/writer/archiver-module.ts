import type { Readable, Writable } from 'node:stream';
import { Archiver } from 'archiver';
import type { PreparedEntry } from '../zip/compress.js';

/**
 * What our entries carry through archiver's queue. One archiver entry holds a batch of prepared
 * entries: archiver's per-entry queue costs ~10 µs, more than writing an entry does.
 */
export interface ZipperEntryData {
  name: string;
  /** `document`: the batch begins with that document's entries (a seek point); `documentsEnd`: it is past the last (the batch is empty). */
  zipper: { batch: PreparedEntry[]; document?: number; documentsEnd?: boolean } | { stream: AsyncIterable<Buffer>; zip64: boolean };
}

/** What our ZIP and tar writers offer archiver. */
export interface EntryWriter {
  readonly output: Readable;
  addPrepared(entry: PreparedEntry): void;
  /** Document `document` begins with the next entry; `documentsEnd`: it is past the last document. */
  markDocument(document: number, documentsEnd?: boolean): void;
  /** `zip64`: whether a ZIP entry may pass 4 GiB (a tar writes sizes as they come). */
  addStream(name: Buffer, source: AsyncIterable<Buffer>, zip64: boolean): Promise<void>;
  flushIfReaderWaits(): void;
  drained(): Promise<void>;
  finish(): Promise<void>;
}

type Callback = (error?: Error | null) => void;

/** archiver's format-module contract (append, finalize, pipe/unpipe, events) over one of our writers. */
class WriterModule {
  constructor(readonly writer: EntryWriter) {}

  append(_source: unknown, data: ZipperEntryData, callback: Callback): void {
    const work = data.zipper;
    if ('batch' in work) {
      try {
        if (work.document !== undefined) this.writer.markDocument(work.document, work.documentsEnd);
        for (const entry of work.batch) this.writer.addPrepared(entry);
      } catch (error) {
        callback(error as Error);
        return;
      }
      this.writer.flushIfReaderWaits();
      this.writer.drained().then(() => callback(), callback);
      return;
    }
    this.writer.addStream(Buffer.from(data.name, 'utf8'), work.stream, work.zip64).then(() => callback(), callback);
  }

  finalize(): void {
    this.writer.finish().catch((error: Error) => this.writer.output.destroy(error));
  }

  on(event: string, listener: (...args: unknown[]) => void): this {
    this.writer.output.on(event, listener);
    return this;
  }

  pipe<T extends Writable>(destination: T, options?: { end?: boolean }): T {
    return this.writer.output.pipe(destination, options);
  }

  unpipe(destination?: Writable): Readable {
    return this.writer.output.unpipe(destination);
  }
}

interface ArchiverInternals {
  _format: string;
  _module: unknown;
  _supportsDirectory: boolean;
  _supportsSymlink: boolean;
  _modulePipe(): void;
}

/** archiver with one of our writers as its format module: archiver's stream and queue, our bytes. */
export class WriterArchive<W extends EntryWriter> extends Archiver {
  readonly writer: W;

  constructor(format: 'zip' | 'tar', writer: W) {
    super({ highWaterMark: 1024 * 1024 });
    this.writer = writer;
    const internals = this as unknown as ArchiverInternals;
    internals._format = format;
    internals._module = new WriterModule(writer);
    internals._supportsDirectory = false;
    internals._supportsSymlink = false;
    internals._modulePipe();
  }
}
