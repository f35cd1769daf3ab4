import { tmpdir } from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import { ZipArchive, type Archiver } from 'archiver';
import { answerKeyEntries, archiveCompression, archiveEntries, loadFileEntries, type ArchiveEntry, type BufferedEntry } from './entries.js';
import { batchLength, unpackBatch, type PackedBatch } from './parallel/batch.js';
import { archiveHashesDocuments, HashStore } from './loadfile/hash-store.js';
import { requestedHashAlgorithms, type ArchiveRequest } from './request.js';
import { loadFileProducer } from './parallel/loadfile.js';
import type { RowsListener } from './loadfile/writer.js';
import { GeneratorPool } from './parallel/pool.js';
import type { ArchivePlan } from './plan.js';
import { ZipperArchive } from './zip/archiver-module.js';
import type { ZipperEntryData } from './writer/archiver-module.js';
import { prepareEntry, type PreparedEntry } from './zip/compress.js';
import type { ZipEngine } from './zip/engine.js';
import { TarArchive } from './tar/archiver-module.js';
import { FixedGzip } from './tar/gzip.js';
import { releaseSeek, type ArchiveSeek, type LayoutRecorder } from './seek/archive-layout.js';

/** Entries are dated 2020-01-01 00:00:00 UTC: fixed, so equal requests give equal bytes. */
export const ENTRY_DATE = new Date(Date.UTC(2020, 0, 1));

/** Bytes allowed to wait inside archiver before generation pauses: backpressure from the reader. */
const BACKLOG_BYTES = 2 * 1024 * 1024;
/** archiver queue entries not yet written: bounds its queue. */
const MAX_QUEUED_ENTRIES = 4;
/** Prepared entries handed to archiver as one queue entry (ours only). */
const BATCH_ENTRIES = 512;
const BATCH_BYTES = 1024 * 1024;
/** About the bytes of a full batch (see batchLength()): how many batches a read-ahead share holds. */
const NOMINAL_BATCH_BYTES = 1024 * 1024;
/** Batches requested ahead per archive at least: one being made while the one before is written. */
const MIN_BATCHES_AHEAD = 2;
/** Documents in an archive's first batch; each next batch doubles, up to batchLength(). */
const FIRST_BATCH_DOCUMENTS = 16;
/** Load-file bytes made early, while documents are rendered elsewhere (see loadFileProducer). */
const EARLY_LOAD_FILE_BYTES = 8 * 1024 * 1024;
/** Padding per document up to which the first batch is prepared on the calling thread (its CRC runs there). */
const INLINE_FIRST_BATCH_MAX_PADDING = 1024 * 1024;
/** Without a pool, batches are prepared on the calling thread. */
const INLINE_POOL = new GeneratorPool(0);
/** Central-directory bytes held in memory before they spill to a temporary file. */
export const DEFAULT_SPILL_THRESHOLD = 4 * 1024 * 1024;
/** Below this a small read-ahead share would spill every few entries (a write each). */
const MIN_SPILL_THRESHOLD = 256 * 1024;

export interface ArchiveObserver {
  /** Called once per document whose bytes were handed to the archive. */
  onDocument?: (index: number) => void;
  /** Called with every chunk of archive bytes as it leaves for the reader. */
  onBytes?: (bytes: number) => void;
  /** Called with load-file rows as they are written. */
  onLoadFileRows?: (rows: number) => void;
}

export interface ArchiveStreamOptions extends ArchiveObserver {
  /** `zipper`: our ZIP module for archiver (default); `archiver`: archiver's stock zip module. A tar or tgz always takes ours (TarWriter). */
  engine?: ZipEngine;
  /** Aborting stops generation at once (the reader left). */
  signal?: AbortSignal;
  /** Entries to write; the plan's own by default (tests feed failing sources here). */
  entries?: Iterable<ArchiveEntry>;
  /** Sections to write instead of the plan's own (a production's sets); batches go to the pool with our engine. */
  sections?: Iterable<ArchiveSection>;
  /** Workers that prepare documents in parallel (ours only); without one, the calling thread does. */
  pool?: GeneratorPool;
  /** Where the central directory (ours only) and a tar's streamed entries spill; the system's temporary directory by default. */
  tempDir?: string;
  spillThreshold?: number;
  /** hashMode actual: digests held in memory before they spill to a temporary file (see HashStore). */
  hashSpillThreshold?: number;
  /** Told the archive's layout as it is written (see layoutKnowable). */
  recorder?: LayoutRecorder;
  /** Start at this point of a layout (see layoutKnowable): the stream's first byte is the point's. Its files (central headers, tail) are released when the stream ends. */
  seek?: ArchiveSeek;
}

/** Documents 1..count prepared in batches ahead of the archive (in parallel with a pool), written in order. */
export interface BatchSection {
  kind: 'batches';
  count: number;
  /** Documents in a full batch (the first batches are smaller). */
  fullLength: number;
  /** Whether a small first batch may be made on the calling thread (cheap documents). */
  firstBatchHere: boolean;
  /** Added to a document's number in this section for onDocument (its index in the archive). */
  offset: number;
  /** The first document to write (1 unless the archive starts at a seek point). */
  first?: number;
  prepare(pool: GeneratorPool, from: number, to: number): Promise<PackedBatch>;
  /** The batch of documents from..to−1 was handed to the archive. */
  added?(batch: PackedBatch, from: number, to: number): void;
  /** Work for the calling thread while it waits for a batch: one step per call, false when there is none. */
  idleWork?(): boolean;
  /** The same documents one entry at a time, for an engine without prepared batches. */
  entries?(): Iterable<ArchiveEntry>;
}

/** Where the documents end and the tail begins (a seek point past the last document). */
interface DocumentsEnd {
  kind: 'documents-end';
  /** The document after the last. */
  document: number;
}

export type ArchiveSection = BatchSection | { kind: 'entries'; entries: Iterable<ArchiveEntry> };

interface BufferedStream {
  readableLength: number;
  writableLength: number;
}

/** How one engine takes entries; `flush` is called before waiting and at the end. */
interface EntrySink {
  add(entry: ArchiveEntry): void;
  /** Entries already prepared, in order (ours only); `document`: they begin with that document's. */
  addPrepared?(entries: PreparedEntry[], document?: number): void;
  /** No document follows (ours only: a seek point). */
  markDocumentsEnd?(document: number): void;
  flush(): void;
  /** Bytes buffered inside the engine, not yet handed to the reader. */
  backlog(): number;
  dispose(): void;
}

function stockSink(archive: Archiver, onQueued: () => void): EntrySink {
  // archiver keeps its zip engine private; its buffers are part of the backlog we bound.
  const engine = (archive as unknown as { _module: { engine: BufferedStream } })._module.engine;
  return {
    add(entry) {
      onQueued();
      if (entry.kind === 'loadfile') {
        archive.append(Readable.from(entry.chunks, { objectMode: false }), { name: entry.name, date: ENTRY_DATE, store: false });
      } else {
        archive.append(Buffer.concat(entry.segments), { name: entry.name, date: ENTRY_DATE, store: entry.compression === 'store' });
      }
    },
    flush() {},
    backlog: () => engine.readableLength + engine.writableLength,
    dispose() {},
  };
}

/** Our archiver modules (ZIP and tar): prepared entries in batches, streamed entries one by one. */
function zipperSink(archive: ZipperArchive | TarArchive, request: Pick<ArchiveRequest, 'format'>, onQueued: () => void): EntrySink {
  let batch: PreparedEntry[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    onQueued();
    const data: ZipperEntryData = { name: batch[0]!.name.toString('utf8'), zipper: { batch } };
    archive.append(Buffer.alloc(0), data as never);
    batch = [];
    batchBytes = 0;
  };
  return {
    addPrepared(entries, document) {
      flush();
      onQueued();
      const data: ZipperEntryData = { name: entries[0]!.name.toString('utf8'), zipper: { batch: entries, document } };
      archive.append(Buffer.alloc(0), data as never);
    },
    markDocumentsEnd(document) {
      flush();
      onQueued();
      // archiver wants a name; an empty batch writes nothing.
      const data: ZipperEntryData = { name: 'documents-end', zipper: { batch: [], document, documentsEnd: true } };
      archive.append(Buffer.alloc(0), data as never);
    },
    add(entry) {
      if (entry.kind === 'loadfile') {
        flush();
        onQueued();
        const data: ZipperEntryData = { name: entry.name, zipper: { stream: toAsync(entry.chunks), zip64: entry.zip64 } };
        archive.append(Buffer.alloc(0), data as never);
        return;
      }
      const prepared = prepareBuffered(entry, request);
      batch.push(prepared);
      batchBytes += prepared.compressedSize;
      if (batch.length >= BATCH_ENTRIES || batchBytes >= BATCH_BYTES) flush();
    },
    flush,
    backlog: () => archive.writer.output.readableLength,
    dispose: () => archive.writer.dispose(),
  };
}

function prepareBuffered(entry: BufferedEntry, request: Pick<ArchiveRequest, 'format'>): PreparedEntry {
  return prepareEntry(Buffer.from(entry.name, 'utf8'), entry.segments, archiveCompression(request, entry.compression));
}

async function* toAsync(chunks: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* chunks;
}

/** Settles as `promise` does; until then runs `work` one step per turn of the event loop, while it has steps. */
async function whileWaiting<T>(promise: Promise<T>, work: () => boolean): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await Promise.resolve(); // an already settled promise has marked itself by now
  while (!settled && work()) await new Promise((resolve) => setImmediate(resolve));
  return promise;
}

/**
 * Where an archive with hashMode actual keeps its documents' digests until its load files are made
 * (see HashStore); none when nothing needs them, or when entries do not go through batches (the
 * load files then hash each document again as they make its row).
 */
function hashStoreFor(plan: ArchivePlan, options: ArchiveStreamOptions, halfShare: () => number): HashStore | undefined {
  if (!archiveHashesDocuments(plan) || options.entries || options.sections || engineOf(plan, options) !== 'zipper') return undefined;
  return new HashStore({
    algorithms: requestedHashAlgorithms(plan.request),
    tempDir: options.tempDir ?? tmpdir(),
    spillThreshold: () => Math.min(options.hashSpillThreshold ?? DEFAULT_SPILL_THRESHOLD, Math.max(MIN_SPILL_THRESHOLD, halfShare())),
  });
}

/**
 * Whether an archive's layout can be recorded and a generation started at one of its seek points:
 * a plan's own ZIP or tar made by our engine, whose documents depend on nothing before them. Not a
 * tgz (gzip's state carries over), a production (its reports count every file), hashMode actual
 * (its load files need every document's digest), nor the stock engine.
 */
export function layoutKnowable(plan: ArchivePlan, options: Pick<ArchiveStreamOptions, 'engine' | 'entries' | 'sections'>): boolean {
  return plan.request.format !== 'tgz' && engineOf(plan, options) === 'zipper' && !options.entries && !options.sections && !archiveHashesDocuments(plan);
}

/** The engine that writes a plan's archive: a tar or tgz always ours. */
function engineOf(plan: ArchivePlan, options: Pick<ArchiveStreamOptions, 'engine'>): ZipEngine {
  return plan.request.format === 'zip' ? (options.engine ?? 'zipper') : 'zipper';
}

/**
 * Streams the archive of a plan (ZIP, tar or tgz, as its request says). Entries are generated only as fast as the reader takes bytes,
 * so memory stays bounded whatever the count; an error destroys the stream (the reader sees a
 * broken transfer, never a truncated archive that looks complete).
 */
export function createArchiveStream(plan: ArchivePlan, options: ArchiveStreamOptions = {}): Readable {
  const { format } = plan.request;
  const engine = engineOf(plan, options);
  const { seek, recorder } = options;
  if ((seek || recorder) && !layoutKnowable(plan, options)) {
    if (seek) releaseSeek(seek);
    throw new Error('createArchiveStream: this archive has no layout to record or seek in');
  }
  const pool = options.pool ?? INLINE_POOL;
  // Counted among the archives streaming until its stream closes: they share the pool's read-ahead.
  const leaveReadAhead = pool.readAhead.join();
  // Early load-file rows and central headers held in memory take up to half a share each.
  const halfShare = () => pool.readAhead.share() / 2;
  let queued = 0;
  const onQueued = () => queued++;
  const spillThreshold = () => Math.min(options.spillThreshold ?? DEFAULT_SPILL_THRESHOLD, Math.max(MIN_SPILL_THRESHOLD, halfShare()));
  let archive: Archiver;
  let sink: EntrySink;
  if (format !== 'zip') {
    // A streamed entry (a load file) waits in memory up to the same bound as a central directory, then in a file.
    const tar = new TarArchive({ date: ENTRY_DATE, tempDir: options.tempDir ?? tmpdir(), memoryThreshold: spillThreshold, seek, recorder });
    archive = tar;
    sink = zipperSink(tar, plan.request, onQueued);
  } else if (engine === 'zipper') {
    const zipper = new ZipperArchive({ date: ENTRY_DATE, tempDir: options.tempDir ?? tmpdir(), spillThreshold, seek, recorder });
    archive = zipper;
    sink = zipperSink(zipper, plan.request, onQueued);
  } else {
    archive = new ZipArchive({ zlib: { level: 6 }, highWaterMark: 1024 * 1024 });
    sink = stockSink(archive, onQueued);
  }
  // tgz: the tar stream gzipped on its way out (zlib works off the main thread).
  const gzip = format === 'tgz' ? new FixedGzip() : null;
  const backlog = () => archive.readableLength + archive.writableLength + sink.backlog() + (gzip?.backlog() ?? 0);

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

  archive.on('entry', () => {
    queued--;
    wakeUp();
  });
  archive.on('error', (error) => output.destroy(error));
  archive.on('warning', (error) => output.destroy(error));
  if (gzip) {
    gzip.output.on('error', (error) => output.destroy(error));
    archive.pipe(gzip.input);
    gzip.output.pipe(output);
  } else {
    archive.pipe(output);
  }

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    archive.abort();
    sink.dispose();
    gzip?.destroy();
    wakeUp();
  };
  // Stopped by its signal, the stream ends too (a premature close): whoever reads it, a socket or a
  // loop counting its bytes, learns at once that no more is coming.
  options.signal?.addEventListener(
    'abort',
    () => {
      stop();
      output.destroy();
    },
    { once: true },
  );
  // hashMode actual: the workers hash each native as they prepare it; the load files read the digests back.
  const hashes = hashStoreFor(plan, options, halfShare);
  output.on('close', () => {
    hashes?.dispose();
    leaveReadAhead();
    if (!output.writableFinished) stop();
  });

  const roomForMore = () => stopped || (queued < MAX_QUEUED_ENTRIES && backlog() < BACKLOG_BYTES);
  const waitForRoom = async () => {
    while (!roomForMore()) await new Promise<void>((resolve) => (wake = resolve));
  };

  async function addEach(entries: Iterable<ArchiveEntry>): Promise<void> {
    for (const entry of entries) {
      if (stopped) return;
      if (!roomForMore()) {
        sink.flush();
        await waitForRoom();
        if (stopped) return;
      }
      sink.add(entry);
      if (entry.kind === 'document') options.onDocument?.(entry.index);
    }
  }

  /** A section's documents in batches prepared ahead; while a batch is not back yet, its idle work runs step by step on this otherwise waiting thread. */
  async function addBatches(addPrepared: (entries: PreparedEntry[], document?: number) => void, section: BatchSection): Promise<void> {
    const { fullLength } = section;
    // Small batches first: the first bytes leave sooner, and a client that leaves at once has
    // little work queued behind it that the next archive's batches would wait for.
    let length = Math.min(fullLength, FIRST_BATCH_DOCUMENTS);
    // As many batches as this archive's share holds, up to two per worker (enough to keep them busy).
    const ahead = () => Math.max(MIN_BATCHES_AHEAD, Math.min(2 * pool.size, Math.floor(pool.readAhead.share() / NOMINAL_BATCH_BYTES)));
    const requested: Array<{ from: number; to: number; batch: Promise<PackedBatch> }> = [];
    const first = section.first ?? 1;
    let next = first;
    const requestMore = () => {
      while (requested.length < ahead() && next <= section.count) {
        const to = Math.min(section.count + 1, next + length);
        length = Math.min(fullLength, length * 2);
        // A small first batch is made here: a worker may still be busy with an archive whose client left.
        const batch = section.prepare(next === first && section.firstBatchHere ? INLINE_POOL : pool, next, to);
        batch.catch(() => undefined); // awaited below; a batch left behind by a stop must not go unhandled
        requested.push({ from: next, to, batch });
        next = to;
      }
    };
    const idleWork = () => section.idleWork?.() ?? false;
    requestMore();
    for (let ask = requested.shift(); ask !== undefined; ask = requested.shift()) {
      const batch = await whileWaiting(ask.batch, idleWork);
      requestMore();
      if (stopped) return;
      await waitForRoom();
      if (stopped) return;
      addPrepared(unpackBatch(batch, plan.request.seed), ask.from);
      section.added?.(batch, ask.from, ask.to);
      for (let index = ask.from; index < ask.to; index++) options.onDocument?.(section.offset + index);
    }
  }

  async function addSections(sections: Iterable<ArchiveSection | DocumentsEnd>): Promise<void> {
    for (const section of sections) {
      if (stopped) return;
      if (section.kind === 'entries') await addEach(section.entries);
      else if (section.kind === 'documents-end') sink.markDocumentsEnd?.(section.document);
      else if (sink.addPrepared) await addBatches(sink.addPrepared, section);
      else if (section.entries) await addEach(section.entries());
      else throw new Error('this engine takes no prepared batches, and the section has no entries');
    }
  }

  async function pump(): Promise<void> {
    if (options.sections) {
      await addSections(options.sections);
    } else if (options.entries || !sink.addPrepared) {
      await addEach(options.entries ?? archiveEntries(plan, options.onLoadFileRows));
    } else {
      // The first load file's opening rows are made while the workers render documents, and the
      // rest by the workers once documents are done: little is left to do alone at the end.
      // Each producer tells its rows to whoever reads its chunks (the load file's entry, for its audit).
      // A seek that knows the archive's tail makes documents only: the writer ends with the tail's bytes.
      const tail = seek?.tail ?? null;
      const listeners = new Map<string, RowsListener>();
      const producers = new Map(
        (tail ? [] : plan.loadFiles).map(({ format }, k) => [
          format,
          loadFileProducer(
            plan,
            format,
            pool,
            k === 0 ? () => Math.min(EARLY_LOAD_FILE_BYTES, halfShare()) : () => 0,
            (rows, records) => listeners.get(format)?.(rows, records),
            hashes,
          ),
        ]),
      );
      const first = plan.loadFiles[0] && producers.get(plan.loadFiles[0].format);
      const documents: BatchSection = {
        kind: 'batches',
        // With a known tail, the documents it holds are read with it.
        count: tail ? tail.document - 1 : plan.count,
        fullLength: batchLength(plan),
        firstBatchHere: plan.padding.base <= INLINE_FIRST_BATCH_MAX_PADDING,
        offset: 0,
        first: seek?.point.document,
        prepare: (on, from, to) => on.prepare({ request: plan.request, padding: plan.padding, from, to }),
        added: (batch, from, to) => {
          if (!hashes) return;
          if (!batch.digests) throw new Error('hashMode actual: a batch came back without digests');
          hashes.append(batch.digests, to - from);
        },
        idleWork: () => first?.pull() ?? false,
      };
      await addSections([documents]);
      if (tail) return finish();
      await addSections([
        { kind: 'documents-end', document: plan.count + 1 },
        {
          kind: 'entries',
          entries: loadFileEntries(plan, options.onLoadFileRows, (format, onRows) => {
            listeners.set(format, onRows);
            return producers.get(format)!.chunks();
          }),
        },
        { kind: 'entries', entries: answerKeyEntries(plan) },
      ]);
    }
    await finish();
  }

  async function finish(): Promise<void> {
    sink.flush();
    await waitForRoom();
    if (!stopped) await archive.finalize();
  }

  pump().catch((error: unknown) => {
    stop();
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}
