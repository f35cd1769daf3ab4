/**
 * npm run bench [-- --quick] [-- --write] [scenario …]
 * Runs the scenarios one after another (never two at once: they would share the two cores),
 * prints a Markdown table per scenario, and with --write records the run in docs/performance.md.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatDuration } from './lib/format.js';
import { describeMachine } from './lib/machine.js';
import { RawLimits, rawLimitsTables } from './lib/raw-limits.js';
import { goalsTable, renderScenario, writeReport, type RunReport } from './lib/report.js';
import { describeConditions, snapshotConditions } from './lib/run-conditions.js';
import { parseSettings } from './lib/settings.js';
import { renderTable } from './lib/table.js';
import { SCENARIOS } from './scenarios/index.js';
import type { ScenarioContext, ScenarioReport } from './scenarios/scenario.js';

const REPORT_PATH = fileURLToPath(new URL('../../docs/performance.md', import.meta.url));
const SERVER_PATH = fileURLToPath(new URL('../src/server.js', import.meta.url));

function usage(): string {
  return [
    'usage: node dist/bench/run.js [--quick] [--write] [scenario …]',
    'scenarios:',
    ...SCENARIOS.map((scenario) => `  ${scenario.id.padEnd(24)} ${scenario.title}`),
  ].join('\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('--list')) {
    console.log(usage());
    return 0;
  }
  const settings = parseSettings(argv, process.env);
  const unknown = settings.scenarioIds.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  if (!existsSync(SERVER_PATH)) {
    console.error(`${SERVER_PATH} is missing: run npm run build first`);
    return 2;
  }
  const selected = settings.scenarioIds.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => settings.scenarioIds.includes(s.id));
  const startConditions = snapshotConditions();
  const startedAt = new Date();
  const runStart = performance.now();
  const raw = new RawLimits(settings);
  const context: ScenarioContext = { settings, raw, log: (message) => console.error(message) };

  const reports: ScenarioReport[] = [];
  const failures: RunReport['failures'] = [];
  for (const scenario of selected) {
    const scenarioStart = performance.now();
    console.error(`\n▶ ${scenario.id}: ${scenario.title}`);
    try {
      const report = await scenario.run(context);
      reports.push(report);
      console.log(`\n${renderScenario(report)}\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ id: scenario.id, error: message });
      console.error(`✗ ${scenario.id} failed: ${message}`);
    }
    console.error(`  (${formatDuration(performance.now() - scenarioStart)})`);
  }

  const rawTables = await rawLimitsTables(raw);
  const goals = reports.flatMap((report) => report.goals);
  console.log(`\n${renderTable(goalsTable(goals))}\n`);
  for (const table of rawTables) console.log(`${renderTable(table)}\n`);
  const durationMs = performance.now() - runStart;
  const conditions = { start: startConditions, end: snapshotConditions() };
  console.error(`bench finished in ${formatDuration(durationMs)}`);
  for (const line of describeConditions(conditions.start, conditions.end)) console.error(line.replace(/^- /, '').replace(/\*\*/g, ''));

  if (settings.write) {
    if (settings.scenarioIds.length > 0) console.error('note: --write with chosen scenarios records only those');
    writeReport(REPORT_PATH, { settings, machine: describeMachine(), startedAt, durationMs, conditions, scenarios: reports, failures, rawLimits: rawTables });
    console.error(`wrote ${REPORT_PATH}`);
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
