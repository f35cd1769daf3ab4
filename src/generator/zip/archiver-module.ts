import { WriterArchive } from '../writer/archiver-module.js';
import { ZipWriter, type ZipWriterOptions } from './zip-writer.js';

/** archiver with our ZIP module: archiver's stream and queue, our records and central directory. */
export class ZipperArchive extends WriterArchive<ZipWriter> {
  constructor(options: ZipWriterOptions) {
    super('zip', new ZipWriter(options));
  }
}
