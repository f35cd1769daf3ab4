import type { Readable, Writable } from 'node:stream';
import { Archiver } from 'archiver';
import type { ZipperEntryData } from '../zip/archiver-module.js';
import { TarWriter, type TarWriterOptions } from './tar-writer.js';

type Callback = (error?: Error | null) => void;

/** archiver's format-module contract over our TarWriter: the same entry data as our ZIP module (a streamed entry's zip64 means nothing here). */
class TarModule {
  readonly writer: TarWriter;

  constructor(options: TarWriterOptions) {
    this.writer = new TarWriter(options);
  }

  append(_source: unknown, data: ZipperEntryData, callback: Callback): void {
    const work = data.zipper;
    if ('batch' in work) {
      try {
        for (const entry of work.batch) this.writer.addPrepared(entry);
      } catch (error) {
        callback(error as Error);
        return;
      }
      this.writer.flushIfReaderWaits();
      this.writer.drained().then(() => callback(), callback);
      return;
    }
    this.writer.addStream(Buffer.from(data.name, 'utf8'), work.stream).then(() => callback(), callback);
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

/** archiver with our tar module: archiver's stream and queue, our headers and spilling of streamed entries. */
export class TarArchive extends Archiver {
  readonly writer: TarWriter;

  constructor(options: TarWriterOptions) {
    super({ highWaterMark: 1024 * 1024 });
    const module = new TarModule(options);
    this.writer = module.writer;
    const internals = this as unknown as ArchiverInternals;
    internals._format = 'tar';
    internals._module = module;
    internals._supportsDirectory = false;
    internals._supportsSymlink = false;
    internals._modulePipe();
  }
}
