import { Transform } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';

/** Offset of the OS byte in a gzip header (RFC 1952: ID1 ID2 CM FLG MTIME×4 XFL OS). */
const OS_OFFSET = 9;
/** Unix: zlib writes the OS it was built for (3 on Linux, 19 on macOS, 10 on Windows); we write 3 everywhere. */
const OS_UNIX = 3;

/**
 * gzip whose bytes are the same on every machine: zlib's header has MTIME 0, no name, XFL 0 at
 * level 6; only its OS byte depends on the build, so it is set to Unix as it passes.
 */
export class FixedGzip {
  readonly input: Gzip;
  readonly output: Transform;

  constructor() {
    this.input = createGzip({ level: 6 });
    let position = 0;
    this.output = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (position <= OS_OFFSET && position + chunk.length > OS_OFFSET) {
          chunk = Buffer.from(chunk);
          chunk[OS_OFFSET - position] = OS_UNIX;
        }
        position += chunk.length;
        callback(null, chunk);
      },
    });
    this.input.on('error', (error) => this.output.destroy(error));
    this.input.pipe(this.output);
  }

  /** Bytes waiting in either stream. */
  backlog(): number {
    return this.input.readableLength + this.input.writableLength + this.output.readableLength + this.output.writableLength;
  }

  destroy(): void {
    this.input.destroy();
    this.output.destroy();
  }
}
