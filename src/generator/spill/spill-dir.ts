/**
 * Spill folders (a central directory, a tar's load file, hashes, a sources table, the layouts kept
 * for ranges), named after their owner so that a later process can tell whether it is gone:
 * `zipper-cd-<host>-<pid>-<start>-XXXXXX` ("cd": the central directory, the first to spill). A live
 * process removes its own when what spilled is done with; a killed one cannot, so
 * `removeStaleSpills` runs at start and removes those whose owner is no longer running.
 *
 * - host: os.hostname(), sanitised. PIDs mean nothing across machines or PID namespaces
 *   (containers sharing a temp dir, where the service is PID 1 in each): another host's folders are
 *   left alone.
 * - pid + start: the owner's PID and its start time (field 22 of /proc/<pid>/stat, clock ticks since
 *   boot; `0` where /proc is missing). A PID alone could be taken by a new process, the more so in a
 *   container where the service is always PID 1: a living PID with another start time is not the owner.
 * - XXXXXX: mkdtemp's random suffix.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'zipper-cd-';
/** Ours, in the naming above: host, pid, start time, mkdtemp's 6 characters. */
const OWNED = /^zipper-cd-([A-Za-z0-9._-]+)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;
/** Ours from before owners were named (`mkdtemp('zipper-cd-')`): the owner cannot be known. */
const LEGACY = /^zipper-cd-[A-Za-z0-9]{6}$/;
/**
 * A legacy folder is removed once nothing in it changed for this long. A spilling archive rewrites
 * its file every ~58,000 entries, so only a client stalled for an hour keeps a live one this still
 * (and on Linux even that archive survives: it reads and writes through an open descriptor).
 */
export const LEGACY_STALE_MS = 60 * 60 * 1000;

/** This machine's name as it appears in folder names: no character that could break the pattern. */
export function spillHost(name = hostname()): string {
  return name.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64) || 'host';
}

/** A process's start time (clock ticks since boot) from /proc; null where that cannot be read. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19]; // field 22; fields[0] is field 3
    return start !== undefined && /^\d+$/.test(start) ? start : null;
  } catch {
    return null;
  }
}

let ownPrefix: string | undefined;

/** `zipper-cd-<host>-<pid>-<start>-` for this process. */
export function spillPrefix(): string {
  ownPrefix ??= `${PREFIX}${spillHost()}-${process.pid}-${processStartTime(process.pid) ?? '0'}-`;
  return ownPrefix;
}

/** Creates a spill folder of this process in `tempDir`. */
export function makeSpillDir(tempDir: string): string {
  return mkdtempSync(join(tempDir, spillPrefix()));
}

/** Whether the process that named a folder `pid`, `start` is still running. */
function ownerAlive(pid: number, start: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user. Only ESRCH says it is gone.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  const current = processStartTime(pid);
  // Without a start time on either side (no /proc), a living PID has to count as the owner.
  return start === '0' || current === null || current === start;
}

/** Total size of the files under `path`, and its newest modification time. */
async function measure(path: string): Promise<{ bytes: number; newestMs: number }> {
  const stats = await lstat(path);
  let bytes = stats.isFile() ? stats.size : 0;
  let newestMs = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const name of await readdir(path)) {
      const inner = await measure(join(path, name));
      bytes += inner.bytes;
      newestMs = Math.max(newestMs, inner.newestMs);
    }
  }
  return { bytes, newestMs };
}

export interface StaleSpillRemoval {
  /** Folders removed. */
  removed: number;
  /** Bytes of the files they held. */
  bytes: number;
  /** Folders that could not be examined or removed, and why. */
  failed: { folder: string; error: string }[];
}

/**
 * Removes the spill folders in `tempDir` left by processes of this service that are gone: ours by
 * name, of this host, whose owner is not running (or is a new process under the same PID); legacy
 * folders without an owner once untouched for LEGACY_STALE_MS. Leaves everything else alone. Never
 * rejects: what it cannot do is listed in `failed`.
 */
export async function removeStaleSpills(tempDir: string, now = Date.now()): Promise<StaleSpillRemoval> {
  const result: StaleSpillRemoval = { removed: 0, bytes: 0, failed: [] };
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch (error) {
    // No temporary directory yet: nothing to remove.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') result.failed.push({ folder: tempDir, error: String(error) });
    return result;
  }
  const host = spillHost();
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const owned = OWNED.exec(name);
    if (!owned && !LEGACY.test(name)) continue;
    const path = join(tempDir, name);
    try {
      if (owned && (owned[1] !== host || ownerAlive(Number(owned[2]), owned[3] as string))) continue;
      if (!(await lstat(path)).isDirectory()) continue;
      const { bytes, newestMs } = await measure(path);
      if (!owned && now - newestMs < LEGACY_STALE_MS) continue;
      await rm(path, { recursive: true, force: true });
      result.removed++;
      result.bytes += bytes;
    } catch (error) {
      result.failed.push({ folder: path, error: String(error) });
    }
  }
  return result;
}
