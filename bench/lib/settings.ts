/** How a bench run is configured: from the command line and a few environment variables. */

export interface BenchSettings {
  /** Smaller counts everywhere, for iterating (figures are not comparable with a full run). */
  quick: boolean;
  /** BENCH_SKIP_10M=1: run the 10M-entry scenario on a capped count (local quick runs only). */
  skip10M: boolean;
  /** Write docs/performance.md. */
  write: boolean;
  /** Scenario ids to run; empty: all. */
  scenarioIds: string[];
  /** Same seed everywhere: both engines stream the same documents. */
  seed: number;
  /** BENCH_CPU_PROF_DIR: start every server with --cpu-prof into this directory (profiles for the analysis). */
  cpuProfileDir: string | null;
  /** The command as typed, for the report. */
  command: string;
}

export const BENCH_SEED = 20240601;

export function parseSettings(argv: string[], env: NodeJS.ProcessEnv): BenchSettings {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const known = new Set(['--quick', '--write', '--list', '--help']);
  const unknown = flags.filter((flag) => !known.has(flag));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  return {
    quick: flags.includes('--quick'),
    skip10M: env.BENCH_SKIP_10M === '1',
    write: flags.includes('--write'),
    scenarioIds: argv.filter((arg) => !arg.startsWith('--')),
    seed: BENCH_SEED,
    cpuProfileDir: env.BENCH_CPU_PROF_DIR || null,
    command: ['node dist/bench/run.js', ...argv].join(' '),
  };
}

/** `full` in a full run, `quick` with --quick. */
export function pick<T>(settings: BenchSettings, full: T, quick: T): T {
  return settings.quick ? quick : full;
}
