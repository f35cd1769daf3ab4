/** The machine a run was measured on, for the report. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** What `nproc` prints: CPUs this process may use. */
  cpus: number;
  memoryBytes: number;
  nodeVersion: string;
  kernel: string;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
    nodeVersion: process.version,
    kernel: `Linux ${release()}`,
  };
}
