/**
 * The raw limits every scenario is compared with, measured once per run and reused:
 * (a) loopback HTTP from the smallest node:http server to the same client, (b) the in-process
 * files/s ceiling of copying precomputed entries. A scenario's raw limit in files/s is the lower
 * of the two once scaled by the scenario's own bytes and entries per document.
 */
import type { EntryCeilingInput, EntryCeilingOutput } from '../tasks/entry-ceiling.js';
import { runChildTask } from './child-task.js';
import { runHttpClient } from './http-client.js';
import type { ArchiveMeasurement } from './measure-archive.js';
import { ServerProcess } from './server-process.js';
import { pick, type BenchSettings } from './settings.js';
import { formatInteger, formatMegabytes, formatMilliseconds } from './format.js';
import type { Table } from './table.js';

export interface LoopbackLimit {
  streams: number;
  bytesPerSecond: number;
  /** Median time to first byte of single small requests. */
  ttfbMs: number;
  peakRssBytes: number;
}

export interface RawFilesLimit {
  documentsPerSecond: number;
  bytesPerSecond: number;
  /** Which of the two limits binds for this scenario. */
  boundBy: 'loopback HTTP' | 'entry loop';
}

const LOOPBACK_SCRIPT = new URL('../raw/loopback-server.js', import.meta.url);
const ENTRY_CEILING_SCRIPT = new URL('../tasks/entry-ceiling.js', import.meta.url);
const TTFB_SAMPLES = 5;
const LOOPBACK_RUNS = 3;
/** Past this many bytes per entry only loopback HTTP bounds a scenario. */
const LARGE_ENTRY_BYTES = 256 * 1024;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export class RawLimits {
  private readonly loopbackByStreams = new Map<number, Promise<LoopbackLimit>>();
  private readonly ceilingByEntrySize = new Map<number, Promise<EntryCeilingOutput>>();

  constructor(private readonly settings: BenchSettings) {}

  /** Every measurement made so far, for the summary table. */
  async measured(): Promise<{ loopback: LoopbackLimit[]; ceilings: Array<EntryCeilingOutput & { bytesPerEntry: number }> }> {
    const loopback = await Promise.all(this.loopbackByStreams.values());
    const ceilings = await Promise.all(
      [...this.ceilingByEntrySize.entries()].map(async ([bytesPerEntry, ceiling]) => ({ ...(await ceiling), bytesPerEntry })),
    );
    return { loopback, ceilings };
  }

  loopback(streams = 1): Promise<LoopbackLimit> {
    let limit = this.loopbackByStreams.get(streams);
    if (!limit) {
      limit = this.measureLoopback(streams);
      this.loopbackByStreams.set(streams, limit);
    }
    return limit;
  }

  entryCeiling(bytesPerEntry: number): Promise<EntryCeilingOutput> {
    // Sizes within 1 % share one measurement.
    const key = Math.max(1, Number(bytesPerEntry.toPrecision(3)));
    let ceiling = this.ceilingByEntrySize.get(key);
    if (!ceiling) {
      const input: EntryCeilingInput = {
        bytesPerEntry: key,
        maxEntries: pick(this.settings, 4_000_000, 1_000_000),
        maxBytes: pick(this.settings, 4 * 2 ** 30, 2 ** 30),
      };
      ceiling = runChildTask<EntryCeilingInput, EntryCeilingOutput>(ENTRY_CEILING_SCRIPT, input, { timeoutMs: 300_000 });
      this.ceilingByEntrySize.set(key, ceiling);
    }
    return ceiling;
  }

  /** Raw files/s for the archive a measurement streamed: its bytes and entries per document. */
  async filesPerSecond(reference: ArchiveMeasurement, streams = 1): Promise<RawFilesLimit | null> {
    if (reference.entries === null || reference.entries === 0 || reference.bytes === 0) return null;
    const loopback = await this.loopback(streams);
    const bytesPerEntry = reference.bytes / reference.entries;
    const entriesPerDocument = reference.entries / reference.documents;
    const bytesPerDocument = reference.bytes / reference.documents;
    // Entries this large are bytes, not entries: the loop cannot be what binds, so it is not run.
    const byLoop =
      bytesPerEntry > LARGE_ENTRY_BYTES ? Infinity : (await this.entryCeiling(bytesPerEntry)).entriesPerSecond / entriesPerDocument;
    const byHttp = loopback.bytesPerSecond / bytesPerDocument;
    const documentsPerSecond = Math.min(byLoop, byHttp);
    return {
      documentsPerSecond,
      bytesPerSecond: documentsPerSecond * bytesPerDocument,
      boundBy: byHttp <= byLoop ? 'loopback HTTP' : 'entry loop',
    };
  }

  private async measureLoopback(streams: number): Promise<LoopbackLimit> {
    const server = await ServerProcess.start({ script: LOOPBACK_SCRIPT, readyPath: '/healthz', env: {} });
    try {
      const perStream = Math.floor(pick(this.settings, 2 * 2 ** 30, 512 * 2 ** 20) / streams);
      const url = `${server.baseUrl}/bytes?n=${perStream}`;
      const probes = await runHttpClient({
        requests: Array.from({ length: TTFB_SAMPLES }, () => ({ url: `${server.baseUrl}/bytes?n=65536`, method: 'GET' as const })),
        sequential: true,
        warmUpUrl: `${server.baseUrl}/healthz`,
        timeLimitMs: 30_000,
      });
      const ttfbs = probes.requests.map((r) => r.ttfbMs).filter((ms): ms is number => ms !== null);
      // Loopback throughput varies run to run: the best of a few runs is the limit.
      let bytesPerSecond = 0;
      for (let run = 0; run < LOOPBACK_RUNS; run++) {
        const outcome = await runHttpClient({
          requests: Array.from({ length: streams }, () => ({ url, method: 'GET' as const })),
          warmUpUrl: `${server.baseUrl}/healthz`,
          timeLimitMs: 120_000,
        });
        const bytes = outcome.requests.reduce((sum, r) => sum + r.bytes, 0);
        bytesPerSecond = Math.max(bytesPerSecond, bytes / (outcome.wallMs / 1000));
      }
      return {
        streams,
        bytesPerSecond,
        ttfbMs: ttfbs.length > 0 ? median(ttfbs) : NaN,
        peakRssBytes: server.memory().peakRssBytes,
      };
    } finally {
      await server.stop();
    }
  }
}

/** The raw limits measured in this run, for the report. */
export async function rawLimitsTables(raw: RawLimits): Promise<Table[]> {
  const { loopback, ceilings } = await raw.measured();
  return [
    {
      caption: '(a) loopback HTTP: minimal node:http server writing one 64 KiB buffer repeatedly, same client (best of 3 runs)',
      headers: ['streams', 'MB/s (aggregate)', 'first byte (ms, median)', 'server peak RSS (MB)'],
      rows: loopback.map((l) => [String(l.streams), formatMegabytes(l.bytesPerSecond), formatMilliseconds(l.ttfbMs), formatMegabytes(l.peakRssBytes)]),
    },
    {
      caption: '(b) in process: precomputed local headers + data copied into 1 MiB chunks, written to a discarding sink (best of 2 runs; sized per scenario)',
      headers: ['bytes per entry', 'entries', 'entries/s', 'MB/s'],
      rows: ceilings
        .sort((a, b) => a.bytesPerEntry - b.bytesPerEntry)
        .map((c) => [formatInteger(c.bytesPerEntry), formatInteger(c.entries), formatInteger(c.entriesPerSecond), formatMegabytes(c.bytesPerSecond)]),
    },
  ];
}
