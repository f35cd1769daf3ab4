import { readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { z } from 'zod';
import { parseByteSize } from './generator/byte-size.js';
import { ZIP_ENGINES, type ZipEngine } from './generator/zip/engine.js';

/** Upper bound the service can be configured to: names widen past 8 digits, Zip64 has room. */
export const HARD_MAX_COUNT = 1_000_000_000;

/** A byte size ("64MB", "1GiB", a number of bytes) of at least `least` bytes. */
const byteSizeFrom = (least: number) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const bytes = parseByteSize(value);
    if (bytes === null || bytes < least) {
      ctx.addIssue({ code: 'custom', message: `not a byte size${least > 0 ? ` of at least ${least}` : ''}: ${String(value)}` });
      return z.NEVER;
    }
    return bytes;
  });
const byteSize = byteSizeFrom(1);

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ZIPPER_MAX_COUNT: z.coerce.number().int().min(1).max(HARD_MAX_COUNT).default(10_000_000),
  ZIPPER_MAX_TARGET_SIZE: byteSize.default(100 * 2 ** 30),
  ZIPPER_MAX_UPLOAD_SIZE: byteSize.default(2 ** 30),
  ZIPPER_MAX_COMPARE_ROWS: z.coerce.number().int().min(1).max(50_000_000).default(1_000_000),
  ZIPPER_LAYOUT_CACHE_SIZE: byteSizeFrom(0).default(2 ** 30),
  ZIPPER_ZIP_ENGINE: z.enum(ZIP_ENGINES).default('zipper'),
  ZIPPER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(Math.min(availableParallelism(), 8)),
  ZIPPER_TEMP_DIR: z.string().min(1).default(tmpdir()),
  ZIPPER_MAX_CONCURRENT: z.coerce.number().int().min(1).max(10_000).default(16),
  ZIPPER_API_KEYS: z
    .string()
    .default('')
    .transform((keys) => keys.split(',').map((key) => key.trim()).filter(Boolean)),
  ZIPPER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  ZIPPER_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  ZIPPER_PROGRESS_RETENTION_MS: z.coerce.number().int().min(0).default(10 * 60_000),
  ZIPPER_MAX_CONNECTIONS: z.coerce.number().int().min(1).optional(),
  ZIPPER_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  ZIPPER_BODY_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
  ZIPPER_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1).default(60_000),
  ZIPPER_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  ZIPPER_AUTH_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  ZIPPER_AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  ZIPPER_READ_AHEAD_MEMORY: byteSize.default(32 * 2 ** 20),
  // 0: V8's own sizing (it grows the young generation up to 3 × 64 MiB per worker and keeps it when idle).
  ZIPPER_WORKER_YOUNG_GENERATION_MB: z.coerce.number().int().min(0).max(1024).default(48),
  ZIPPER_RELEASE_MEMORY_AFTER_MS: z.coerce.number().int().min(0).default(2_000),
});

export interface Config {
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Which ZIP writer streams archives: ours, or stock archiver (for side-by-side benchmarks). */
  zipEngine: ZipEngine;
  /** Generator worker threads preparing documents in parallel; 0: on the main thread. */
  concurrency: number;
  /** Where central directories of very large archives spill. */
  tempDir: string;
  /** Archives streaming at once; more get 503 with Retry-After. */
  maxConcurrent: number;
  /** Bearer keys for the generating routes; empty: open. */
  apiKeys: string[];
  /** How long SIGTERM waits for in-flight archives. */
  shutdownGraceMs: number;
  /** Event-loop delay past which new archives are shed (503); 0: never. */
  maxEventLoopDelayMs: number;
  /** How long an ended archive's progress stays readable. */
  progressRetentionMs: number;
  /** Open connections past which new ones are closed at once: below the descriptor limit, so it is never reached. */
  maxConnections: number;
  timeouts: {
    /** From a connection's first byte to the end of a request's headers. */
    headersMs: number;
    /** From a request's first byte to the end of its body (the response is not counted). */
    bodyMs: number;
    /** No byte moved either way for this long: the socket is closed (a reading client always moves bytes). */
    idleMs: number;
    /** How long a kept-alive connection may wait for its next request. */
    keepAliveMs: number;
  };
  /** Failed API keys from one address within the window, after which it gets 429 until the window ends. */
  authThrottle: { maxFailures: number; windowMs: number };
  /** Bytes all streaming archives together hold made ahead of their readers; each gets an equal share. */
  readAheadMemory: number;
  /** Young-generation limit of each generator worker's V8 heap, in MB; 0: V8's default. */
  workerYoungGenerationMb: number;
  /** Idle this long (no archive, no generator job), every thread runs a memory-reducing garbage collection; 0: never. */
  releaseMemoryAfterMs: number;
  limits: {
    /** Largest `count` a request may ask for. */
    maxCount: number;
    /** Largest `targetSize` in bytes. */
    maxTargetSize: number;
  };
  /** Largest uploaded file (a multipart part: a sources CSV, a DAT to compare), in bytes. */
  maxUploadSize: number;
  /**
   * Most DAT rows one POST /productions/compare reads, all its productions together: the comparison
   * keeps a few fields of every row (about 155 bytes each, bench/probes/compare-memory.ts), so this bounds its memory.
   */
  maxCompareRows: number;
  /**
   * Disk bytes (central headers, in ZIPPER_TEMP_DIR) the archive layouts kept for ranges may take
   * together: about 75 bytes an entry, so the default holds the layouts of about 14 million entries.
   */
  layoutCacheSize: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  if (values.ZIPPER_HEADERS_TIMEOUT_MS > values.ZIPPER_BODY_TIMEOUT_MS) {
    // Node counts the body deadline from the request's first byte, headers included.
    throw new ConfigError('invalid configuration: ZIPPER_HEADERS_TIMEOUT_MS must not exceed ZIPPER_BODY_TIMEOUT_MS');
  }
  return {
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    zipEngine: values.ZIPPER_ZIP_ENGINE,
    concurrency: values.ZIPPER_CONCURRENCY,
    tempDir: values.ZIPPER_TEMP_DIR,
    maxConcurrent: values.ZIPPER_MAX_CONCURRENT,
    apiKeys: values.ZIPPER_API_KEYS,
    shutdownGraceMs: values.ZIPPER_SHUTDOWN_GRACE_MS,
    maxEventLoopDelayMs: values.ZIPPER_MAX_EVENT_LOOP_DELAY_MS,
    progressRetentionMs: values.ZIPPER_PROGRESS_RETENTION_MS,
    maxConnections: values.ZIPPER_MAX_CONNECTIONS ?? connectionsForDescriptorLimit(openFileLimit()),
    timeouts: {
      headersMs: values.ZIPPER_HEADERS_TIMEOUT_MS,
      bodyMs: values.ZIPPER_BODY_TIMEOUT_MS,
      idleMs: values.ZIPPER_IDLE_TIMEOUT_MS,
      keepAliveMs: values.ZIPPER_KEEP_ALIVE_TIMEOUT_MS,
    },
    authThrottle: { maxFailures: values.ZIPPER_AUTH_MAX_FAILURES, windowMs: values.ZIPPER_AUTH_FAILURE_WINDOW_MS },
    readAheadMemory: values.ZIPPER_READ_AHEAD_MEMORY,
    workerYoungGenerationMb: values.ZIPPER_WORKER_YOUNG_GENERATION_MB,
    releaseMemoryAfterMs: values.ZIPPER_RELEASE_MEMORY_AFTER_MS,
    limits: { maxCount: values.ZIPPER_MAX_COUNT, maxTargetSize: values.ZIPPER_MAX_TARGET_SIZE },
    maxUploadSize: values.ZIPPER_MAX_UPLOAD_SIZE,
    maxCompareRows: values.ZIPPER_MAX_COMPARE_ROWS,
    layoutCacheSize: values.ZIPPER_LAYOUT_CACHE_SIZE,
  };
}

/**
 * Descriptors kept out of the connection cap: worker threads, spill files, logs, the listener and
 * libuv's own, with room to spare; a process out of descriptors fails in places no handler sees.
 */
const RESERVED_DESCRIPTORS = 128;

/** Connections a process may hold open with `limit` descriptors (at least 16). */
export function connectionsForDescriptorLimit(limit: number): number {
  return Math.max(16, limit - RESERVED_DESCRIPTORS);
}

/** The soft RLIMIT_NOFILE of this process (Linux: /proc/self/limits); 1024, the usual default, when unreadable. */
export function openFileLimit(): number {
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const soft = line?.[1];
    if (soft === 'unlimited') return 1_048_576;
    const value = Number(soft);
    return Number.isInteger(value) && value > 0 ? value : 1024;
  } catch {
    return 1024;
  }
}

/** The embedded defaults: what the service runs on with an empty environment. */
export const defaultConfig: Config = loadConfig({});
