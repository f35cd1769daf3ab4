import { PassThrough, type Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { archiveEntries, type ArchiveEntry } from './entries.js';
import type { ArchivePlan } from './plan.js';

/** Entries are dated 2020-01-01 00:00:00 UTC: fixed, so equal requests give equal bytes. */
export const ENTRY_DATE = new Date(Date.UTC(2020, 0, 1));

/** Bytes allowed to wait inside archiver before generation pauses: backpressure from the reader. */
const BACKLOG_BYTES = 1024 * 1024;
/** Entries handed to archiver but not yet written: bounds its queue for tiny entries. */
const MAX_QUEUED_ENTRIES = 16;

export interface ArchiveObserver {
  /** Called once per document whose bytes were handed to the archive. */
  onDocument?: (index: number) => void;
  /** Called with every chunk of archive bytes as it leaves for the reader. */
  onBytes?: (bytes: number) => void;
}

export const ZIP_ENGINES = ['zipper', 'archiver'] as const;
export type ZipEngine = (typeof ZIP_ENGINES)[number];

export interface ArchiveStreamOptions extends ArchiveObserver {
  /** `zipper`: our ZIP module for archiver; `archiver`: archiver's stock zip module. */
  engine?: ZipEngine;
  /** Aborting stops generation at once (the reader left). */
  signal?: AbortSignal;
  /** Entries to write; the plan's own by default (tests feed failing sources here). */
  entries?: Iterable<ArchiveEntry>;
}

interface BufferedStream {
  readableLength: number;
  writableLength: number;
}

/**
 * Streams the archive of a plan. Entries are generated only as fast as the reader takes bytes,
 * so memory stays bounded whatever the count; an error destroys the stream (the reader sees a
 * broken transfer, never a truncated archive that looks complete).
 */
export function createArchiveStream(plan: ArchivePlan, options: ArchiveStreamOptions = {}): Readable {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  // archiver keeps its zip engine private; its buffers are part of the backlog we bound.
  const engine = (archive as unknown as { _module: { engine: BufferedStream } })._module.engine;
  const backlog = () => archive.readableLength + archive.writableLength + engine.readableLength + engine.writableLength;

  let wake: (() => void) | null = null;
  const wakeUp = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };

  const output = new PassThrough({
    highWaterMark: 256 * 1024,
    transform(chunk: Buffer, _encoding, callback) {
      options.onBytes?.(chunk.length);
      callback(null, chunk);
      wakeUp();
    },
  });

  let queued = 0;
  archive.on('entry', () => {
    queued--;
    wakeUp();
  });
  archive.on('error', (error) => output.destroy(error));
  archive.on('warning', (error) => output.destroy(error));
  archive.pipe(output);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    archive.abort();
    wakeUp();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  output.on('close', () => {
    if (!output.writableFinished) stop();
  });

  const roomForMore = () => stopped || (queued < MAX_QUEUED_ENTRIES && backlog() < BACKLOG_BYTES);

  async function pump(): Promise<void> {
    for (const entry of options.entries ?? archiveEntries(plan)) {
      while (!roomForMore()) await new Promise<void>((resolve) => (wake = resolve));
      if (stopped) return;
      queued++;
      archive.append(entry.data, { name: entry.name, date: ENTRY_DATE, store: entry.store });
      if (entry.kind === 'document') options.onDocument?.(entry.index);
    }
    if (!stopped) await archive.finalize();
  }

  pump().catch((error: unknown) => {
    stop();
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}
