import { forkChild, type Child } from './ipc.js';
import type { RunEnv, StoreKind } from './environment.js';

/** What every scenario file exports, and what it is given for one run. */

export interface ScenarioContext {
  /** The store of this run; `null` for the raw limit (no storage). */
  store: StoreKind | null;
  /** Fresh store and config for this run (absent for the raw limit). */
  env: RunEnv | null;
  quick: boolean;
  runIndex: number;
  log(msg: string): void;
}

/** A scenario's figures of one run, by metric key (see report/metrics.ts for units and targets). */
export type Figures = Record<string, number>;

export interface Scenario {
  name: string;
  /** False for the raw limit: it runs once per run, without a store. */
  usesStore: boolean;
  /** Cap on runs per store whatever --runs says (Default: none). */
  maxRuns?: number;
  run(ctx: ScenarioContext): Promise<Figures>;
}

export interface Receiver {
  child: Child;
  port: number;
  origin: string;
  url(group: string, suffix?: string): string;
  count(): Promise<ReceiverCount>;
  reset(trackIds?: boolean): Promise<void>;
}

export interface ReceiverCount { count: number; unique: number | null; duplicates: number; firstAt: number; lastAt: number; hanging: number }

/** A receiver process listening on 127.0.0.1, for the duration of `fn`. */
export async function withReceiver<T>(fn: (r: Receiver) => Promise<T>): Promise<T> {
  const child = await forkChild('receiver.ts');
  try {
    const { port } = await child.call<{ port: number }>('listen', {});
    const origin = `http://127.0.0.1:${port}`;
    return await fn({
      child,
      port,
      origin,
      url: (group, suffix = '') => `${origin}/g/${group}/${suffix}`,
      count: () => child.call<ReceiverCount>('count'),
      reset: async (trackIds = false) => { await child.call('reset', { trackIds }); },
    });
  } finally {
    await child.stop(5000);
  }
}
