/**
 * Where the time goes, from the .cpuprofile files a bench run writes with BENCH_CPU_PROF_DIR:
 * one table per profiled server (a folder), one column per thread (the main thread and each
 * generator worker), self time grouped by pipeline stage, then the functions that cost most.
 *
 *   node dist/bench/profile-summary.js DIR [--top N]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { renderTable } from './lib/table.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
}

/** Pipeline stages, first match wins: a frame's source file (or V8's pseudo-frames) decides. */
const STAGES: Array<[stage: string, test: (frame: CallFrame) => boolean]> = [
  ['idle (waiting)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['plan (metadata, names, RNG)', (f) => /\/generator\/(plan|metadata|random|distribution|file-types)\.js$/.test(f.url)],
  ['render documents', (f) => /\/generator\/documents\//.test(f.url)],
  ['load file rows', (f) => /\/generator\/loadfile\//.test(f.url) || /iconv-lite/.test(f.url)],
  ['padding block (AES-CTR)', (f) => /^node:internal\/crypto\//.test(f.url)],
  ['compress + CRC', (f) => /\/zip\/compress\.js$/.test(f.url) || /^node:zlib$/.test(f.url) || /^(crc32|deflate|processChunk)/.test(f.functionName) && f.url === ''],
  ['ZIP records + central directory', (f) => /\/zip\/(records|zip-writer|central-directory|archiver-module)\.js$/.test(f.url)],
  ['batches between threads', (f) => /\/parallel\//.test(f.url) || f.functionName === 'postMessage'],
  ['buffer copies', (f) => /^node:(buffer|internal\/buffer)$/.test(f.url) || /^(latin1Write|utf8Write|copy)/.test(f.functionName) && f.url === ''],
  ['streams, HTTP, sockets', (f) => /^node:(stream|net|http|_http|internal\/(streams|http|net|stream_base))/.test(f.url) || /\/(fastify|archiver|readable-stream)\//.test(f.url) || /^(writev|writeBuffer|writeUtf8String)$/.test(f.functionName)],
];
const OTHER = 'other (startup, compile, timers …)';

function stageOf(frame: CallFrame): string {
  for (const [stage, test] of STAGES) if (test(frame)) return stage;
  return OTHER;
}

function frameLabel(frame: CallFrame): string {
  const file = frame.url ? frame.url.replace(/^file:\/\/.*\/dist\//, '').replace(/^file:\/\/.*\/node_modules\//, '') : '';
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

export interface ThreadProfile {
  name: string;
  totalMs: number;
  byStage: Map<string, number>;
  byFunction: Map<string, number>;
}

export function summarize(path: string): ThreadProfile {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byStage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, k) => {
    const ms = (profile.timeDeltas[k] ?? 0) / 1000;
    const frame = frames.get(id);
    if (!frame) return;
    totalMs += ms;
    const stage = stageOf(frame);
    byStage.set(stage, (byStage.get(stage) ?? 0) + ms);
    const label = frameLabel(frame);
    byFunction.set(label, (byFunction.get(label) ?? 0) + ms);
  });
  return { name: basename(path), totalMs, byStage, byFunction };
}

/** Node names a thread's profile …​.<thread id>.<sequence>.cpuprofile: thread 0 is the main thread. */
function threadName(file: string): string {
  const thread = /\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1];
  return thread === undefined ? file : thread === '0' ? 'main thread' : `worker ${thread}`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—';
}

/** The report of one folder of profiles (one server process: a file per thread). */
export function folderReport(dir: string, files: string[], top: number): string {
  const threads = files.sort().map((file) => ({ label: threadName(file), profile: summarize(join(dir, file)) }));
  const stages = [...STAGES.map(([stage]) => stage), OTHER];
  const stageRows = stages
    .map((stage) => [stage, ...threads.map(({ profile }) => percent(profile.byStage.get(stage) ?? 0, profile.totalMs))])
    .filter((row) => row.slice(1).some((cell) => cell !== '0.0 %'));
  const lines = [
    renderTable({
      headers: ["share of each thread's time", ...threads.map(({ label }) => label)],
      rows: [...stageRows, ['profiled time (s)', ...threads.map(({ profile }) => (profile.totalMs / 1000).toFixed(2))]],
    }),
  ];
  for (const { label, profile } of threads) {
    const busy = [...profile.byFunction].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top);
    lines.push('', `Top ${top} functions by self time, ${label}:`, '');
    lines.push(renderTable({ headers: ['function', 'share'], rows: busy.map(([name, ms]) => [`\`${name}\``, percent(ms, profile.totalMs)]) }));
  }
  return lines.join('\n');
}

function profileFolders(root: string): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (entry.endsWith('.cpuprofile')) folders.set(dir, [...(folders.get(dir) ?? []), entry]);
    }
  };
  visit(root);
  return folders;
}

function main(argv: string[]): void {
  const root = argv.find((arg) => !arg.startsWith('--'));
  const topAt = argv.indexOf('--top');
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 8;
  if (!root || !Number.isInteger(top) || top < 1) {
    console.error('usage: node dist/bench/profile-summary.js DIR [--top N]   (DIR: where BENCH_CPU_PROF_DIR pointed)');
    process.exit(2);
  }
  const folders = profileFolders(root);
  if (folders.size === 0) {
    console.error(`no .cpuprofile files under ${root}`);
    process.exit(1);
  }
  for (const [dir, files] of folders) {
    console.log(`\n#### ${relative(root, dir) || basename(dir)}\n`);
    console.log(folderReport(dir, files, top));
  }
}

main(process.argv.slice(2));
