/** Memory and CPU of another process, read from /proc (Linux): the server is measured from outside. */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now (VmRSS). */
  rssBytes: number;
  /** Highest resident set size since the process started (VmHWM): per scenario, as each gets a fresh server. */
  peakRssBytes: number;
}

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`/proc status has no ${field}`);
  return Number(match[1]) * 1024;
}

export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssBytes: statusField(status, 'VmRSS'), peakRssBytes: statusField(status, 'VmHWM') };
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux build Node supports. */
const CLOCK_TICKS = 100;

/** User + system CPU seconds the process has used so far. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface RssSample {
  elapsedMs: number;
  rssBytes: number;
}

/** Samples a process's RSS at a fixed interval until stopped (or the process is gone). */
export class RssSampler {
  private readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = performance.now();

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    try {
      this.samples.push({ elapsedMs: performance.now() - this.startedAt, rssBytes: readProcessMemory(this.pid).rssBytes });
    } catch {
      this.stop();
    }
  }

  stop(): RssSample[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.samples;
  }
}
