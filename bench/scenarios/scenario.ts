/** What every scenario is and returns. */
import type { RawLimits } from '../lib/raw-limits.js';
import type { BenchSettings } from '../lib/settings.js';
import type { Table } from '../lib/table.js';

/** One SPEC performance goal next to the figure measured for it. */
export interface GoalCheck {
  figure: string;
  goal: string;
  measured: string;
  /** null: not measured (skipped or failed). */
  met: boolean | null;
}

export interface ScenarioReport {
  id: string;
  title: string;
  /** What was requested, how it was measured. */
  setup: string;
  tables: Table[];
  notes: string[];
  goals: GoalCheck[];
}

export interface ScenarioContext {
  settings: BenchSettings;
  raw: RawLimits;
  /** Progress for the operator (stderr); stdout carries only the tables. */
  log: (message: string) => void;
}

export interface Scenario {
  id: string;
  title: string;
  run: (context: ScenarioContext) => Promise<ScenarioReport>;
}
