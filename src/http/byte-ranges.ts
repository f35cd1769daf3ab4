import { Transform, type Readable } from 'node:stream';

/** What a request's Range header asks of an archive of `length` bytes (RFC 9110 §14). */
export type RangeAsk =
  /** No Range, one we do not read (not `bytes=`, malformed), or several ranges: the whole archive, 200. */
  | { kind: 'whole' }
  /** One satisfiable range, inclusive bounds. */
  | { kind: 'range'; start: number; end: number }
  /** No byte of it lies in the archive: 416. */
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/** Whether the request carries a single `bytes=` range (before the archive's length is known). */
export function asksOneRange(header: string | undefined): boolean {
  return header !== undefined && SINGLE_RANGE.test(header.trim());
}

/** The first byte a single `bytes=a-…` range asks for, before the archive's length is known (none for a suffix). */
export function firstByteAsked(header: string | undefined): number | undefined {
  const match = header === undefined ? null : SINGLE_RANGE.exec(header.trim());
  return match && match[1] !== '' ? Number(match[1]) : undefined;
}

/**
 * The range a `Range` header asks of `length` bytes. Several ranges are answered with the whole
 * archive (a 200 is a valid answer to any Range; download tools ask one range at a time); a
 * header we cannot read is ignored, as RFC 9110 says.
 */
export function rangeOf(header: string | undefined, length: number): RangeAsk {
  const match = header === undefined ? null : SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: 'whole' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || length === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(first);
  const end = last === '' ? length - 1 : Math.min(Number(last), length - 1);
  if (!Number.isSafeInteger(start) || (last !== '' && Number(last) < start)) return { kind: 'whole' };
  if (start >= length) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}

/** If-Range: the range applies only while the client's validator is the archive's ETag (a date never matches: ours are strong ETags). */
export function ifRangeHolds(header: string | undefined, etag: string): boolean {
  return header === undefined || header.trim() === etag;
}

/**
 * Bytes start…end (inclusive) of `source`, counted into `onSent` as they pass. Bytes before `start`
 * are made and dropped (the archive is generated from its beginning); once `end` has passed, the
 * slice ends and `source` is destroyed, so generation stops.
 */
export function sliceStream(source: Readable, start: number, end: number, onSent?: (bytes: number) => void): Readable {
  let position = 0;
  let done = false;
  const slice = new Transform({
    highWaterMark: 256 * 1024,
    transform(chunk: Buffer, _encoding, callback) {
      if (done) return callback();
      const from = Math.max(0, start - position);
      const to = Math.min(chunk.length, end + 1 - position);
      position += chunk.length;
      if (to > from) {
        const piece = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
        onSent?.(piece.length);
        this.push(piece);
      }
      if (position > end) {
        done = true;
        this.push(null);
        source.unpipe(slice);
        source.destroy();
      }
      callback();
    },
  });
  source.once('error', (error) => {
    if (!done) slice.destroy(error);
  });
  return source.pipe(slice);
}
