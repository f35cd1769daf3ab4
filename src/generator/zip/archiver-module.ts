import type { Readable, Writable } from 'node:stream';
import { Archiver } from 'archiver';
import type { PreparedEntry } from './compress.js';
import { ZipWriter, type ZipWriterOptions } from './zip-writer.js';

/**
 * What our entries carry through archiver's queue. One archiver entry holds a batch of prepared
 * entries: archiver's per-entry queue costs ~10 µs, more than writing an entry does.
 */
export interface ZipperEntryData {
  name: string;
  zipper: { batch: PreparedEntry[] } | { stream: AsyncIterable<Buffer>; zip64: boolean };
}

type Callback = (error?: Error | null) => void;

/** archiver's format-module contract: append, finalize, pipe/unpipe and events. */
class ZipperZipModule {
  readonly writer: ZipWriter;

  constructor(options: ZipWriterOptions) {
    this.writer = new ZipWriter(options);
  }

  append(_source: unknown, data: ZipperEntryData, callback: Callback): void {
    const work = data.zipper;
    if ('batch' in work) {
      for (const entry of work.batch) this.writer.addPrepared(entry);
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

/** archiver with our ZIP module: archiver's stream and queue, our records and central directory. */
export class ZipperArchive extends Archiver {
  readonly writer: ZipWriter;

  constructor(options: ZipWriterOptions) {
    super({ highWaterMark: 1024 * 1024 });
    const module = new ZipperZipModule(options);
    this.writer = module.writer;
    const internals = this as unknown as ArchiverInternals;
    internals._format = 'zip';
    internals._module = module;
    internals._supportsDirectory = false;
    internals._supportsSymlink = false;
    internals._modulePipe();
  }
}
