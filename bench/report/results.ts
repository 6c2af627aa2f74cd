import type { StoreKind } from '../lib/environment.js';
import type { Summary } from '../lib/stats.js';

/** The machine-readable result file (bench/results/*.json). */

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  sqlite: string;
  postgres: string | null;
}

export interface ScenarioResult {
  scenario: string;
  store: StoreKind | null;
  /** Figures by metric key, each over the runs. */
  figures: Record<string, Summary>;
  errors: string[];
}

export interface BenchResults {
  version: 1;
  date: string;
  command: string;
  /** The code measured: git commit (HOOKRELAY_BENCH_COMMIT when run from an export), and whether src/ had uncommitted changes. */
  commit?: string;
  dirty?: boolean;
  quick: boolean;
  runs: number;
  durationS: number;
  machine: Machine;
  /** Settings that shape the figures (engine defaults, N per scenario). */
  settings: Record<string, unknown>;
  results: ScenarioResult[];
}

export function rawOf(r: BenchResults): Summary | null {
  return r.results.find((x) => x.scenario === 'raw')?.figures.rps ?? null;
}
