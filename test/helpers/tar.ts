import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';

export interface TarEntry {
  name: string;
  data: Buffer;
  type: string;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  uname: string | undefined;
  gname: string | undefined;
  mtime: Date | undefined;
}

/** The tar inside a tgz (or the tar itself). */
export function tarBytes(archive: Buffer): Buffer {
  return archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
}

/**
 * Reads every entry of a tar or tgz with node-tar's parser (a reader we did not write), in order,
 * pax headers applied. Rejects on any warning the parser raises (bad checksum, truncation…).
 */
export function readTar(archive: Buffer): Promise<TarEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: TarEntry[] = [];
    const parser = new Parser({
      strict: true,
      onwarn: (code, message) => reject(new Error(`${code}: ${String(message)}`)),
      onReadEntry: (entry: ReadEntry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () =>
          entries.push({
            name: entry.path,
            data: Buffer.concat(chunks),
            type: entry.type,
            mode: entry.mode,
            uid: entry.uid,
            gid: entry.gid,
            uname: entry.uname,
            gname: entry.gname,
            mtime: entry.mtime,
          }),
        );
      },
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(entries));
    parser.end(archive);
  });
}

/** Whether a tar ends as a complete one: its size a multiple of 512 and its last two blocks zeros. */
export function endsComplete(tar: Buffer): boolean {
  if (tar.length % 512 !== 0 || tar.length < 1024) return false;
  return tar.subarray(tar.length - 1024).every((byte) => byte === 0);
}
