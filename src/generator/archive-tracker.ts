/**
 * What every archive being streamed is doing: documents and bytes written, rate, ETA, state, kept a
 * while after it ends. Progress, metrics, limits and shutdown all read it; it knows nothing of HTTP.
 */

/** How an archive ended: `shutdown` when the service cut it at the end of its shutdown grace period. */
export const OUTCOMES = ['ok', 'client_aborted', 'error', 'shutdown'] as const;
export type ArchiveOutcome = (typeof OUTCOMES)[number];
export const ARCHIVE_STATES = ['streaming', 'completed', 'client_aborted', 'failed', 'shutdown'] as const;
export type ArchiveState = (typeof ARCHIVE_STATES)[number];

const STATE_OF: Record<ArchiveOutcome, ArchiveState> = { ok: 'completed', client_aborted: 'client_aborted', error: 'failed', shutdown: 'shutdown' };

export interface ArchiveProgress {
  id: string;
  state: ArchiveState;
  documentsWritten: number;
  documentsTotal: number;
  bytesWritten: number;
  estimatedBytes: number;
  documentsPerSecond: number;
  bytesPerSecond: number;
  /** Seconds until done at the current rate; 0 once ended; null before there is a rate. */
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Hooks for whoever counts (metrics). */
export interface ArchiveListener {
  onStart?(run: ArchiveRun): void;
  onDocument?(run: ArchiveRun, fileType: string): void;
  onBytes?(run: ArchiveRun, bytes: number): void;
  onFinish?(run: ArchiveRun, outcome: ArchiveOutcome, seconds: number): void;
}

export class ArchiveRun {
  readonly id: string;
  readonly documentsTotal: number;
  /** The bytes this download will send: estimated, or exact once its length is known (expectBytes). */
  estimatedBytes: number;
  readonly startedAt = Date.now();
  finishedAt: number | null = null;
  state: ArchiveState = 'streaming';
  documentsWritten = 0;
  bytesWritten = 0;
  private readonly listeners: readonly ArchiveListener[];
  private readonly onEnd: (run: ArchiveRun) => void;

  constructor(id: string, documentsTotal: number, estimatedBytes: number, listeners: readonly ArchiveListener[], onEnd: (run: ArchiveRun) => void) {
    this.id = id;
    this.documentsTotal = documentsTotal;
    this.estimatedBytes = estimatedBytes;
    this.listeners = listeners;
    this.onEnd = onEnd;
  }

  document(fileType: string): void {
    this.documentsWritten++;
    for (const listener of this.listeners) listener.onDocument?.(this, fileType);
  }

  /** The download's exact length (a whole archive's, or a range's): progress and ETA count towards it. */
  expectBytes(total: number): void {
    this.estimatedBytes = total;
  }

  bytes(count: number): void {
    this.bytesWritten += count;
    for (const listener of this.listeners) listener.onBytes?.(this, count);
  }

  /** Ends the run once; later calls are ignored (an abort after an error is still the error). */
  finish(outcome: ArchiveOutcome): void {
    if (this.finishedAt !== null) return;
    this.finishedAt = Date.now();
    this.state = STATE_OF[outcome];
    const seconds = (this.finishedAt - this.startedAt) / 1000;
    for (const listener of this.listeners) listener.onFinish?.(this, outcome, seconds);
    this.onEnd(this);
  }

  get seconds(): number {
    return ((this.finishedAt ?? Date.now()) - this.startedAt) / 1000;
  }

  snapshot(): ArchiveProgress {
    const seconds = Math.max(this.seconds, 1e-3);
    const documentsPerSecond = this.documentsWritten / seconds;
    const remaining = this.documentsTotal - this.documentsWritten;
    return {
      id: this.id,
      state: this.state,
      documentsWritten: this.documentsWritten,
      documentsTotal: this.documentsTotal,
      bytesWritten: this.bytesWritten,
      estimatedBytes: this.estimatedBytes,
      documentsPerSecond: Math.round(documentsPerSecond),
      bytesPerSecond: Math.round(this.bytesWritten / seconds),
      etaSeconds: this.finishedAt !== null ? 0 : documentsPerSecond > 0 ? Math.round((remaining / documentsPerSecond) * 10) / 10 : null,
      startedAt: new Date(this.startedAt).toISOString(),
      finishedAt: this.finishedAt === null ? null : new Date(this.finishedAt).toISOString(),
    };
  }
}

export class ArchiveTracker {
  private readonly runs = new Map<string, ArchiveRun>();
  private readonly listeners: ArchiveListener[] = [];
  private readonly retentionMs: number;
  private streaming = 0;
  private idleWaiters: Array<() => void> = [];

  /** `retentionMs`: how long an ended archive's progress stays readable. */
  constructor(retentionMs: number) {
    this.retentionMs = retentionMs;
  }

  listen(listener: ArchiveListener): void {
    this.listeners.push(listener);
  }

  get inFlight(): number {
    return this.streaming;
  }

  start(id: string, documentsTotal: number, estimatedBytes: number): ArchiveRun {
    this.prune();
    const run = new ArchiveRun(id, documentsTotal, estimatedBytes, this.listeners, () => {
      this.streaming--;
      if (this.streaming === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    this.runs.set(id, run);
    this.streaming++;
    for (const listener of this.listeners) listener.onStart?.(run);
    return run;
  }

  progress(id: string): ArchiveProgress | undefined {
    this.prune();
    return this.runs.get(id)?.snapshot();
  }

  /** Resolves when no archive is streaming, or after `timeoutMs` (false then). */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.streaming === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private prune(): void {
    const oldest = Date.now() - this.retentionMs;
    for (const [id, run] of this.runs) if (run.finishedAt !== null && run.finishedAt < oldest) this.runs.delete(id);
  }
}
