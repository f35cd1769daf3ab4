import { WriterArchive } from '../writer/archiver-module.js';
import { TarWriter, type TarWriterOptions } from './tar-writer.js';

/** archiver with our tar module: archiver's stream and queue, our headers and spilling of streamed entries. */
export class TarArchive extends WriterArchive<TarWriter> {
  constructor(options: TarWriterOptions) {
    super('tar', new TarWriter(options));
  }
}
