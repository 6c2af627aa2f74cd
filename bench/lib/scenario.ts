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

export interface ReceiverCount {
  count: number;
  unique: number | null;
  duplicates: number;
  firstAt: number;
  lastAt: number;
  hanging: number;
}

const shared = new Map<string, Promise<Child>>();
let sharedReceiverPort: Promise<number> | null = null;

/**
 * One long-lived process per helper role (receiver, producer, raw sender) for the whole
 * invocation: forking a TypeScript child costs a second or more on a busy 2-core box, and
 * a quick run has dozens of scenario runs. Scenarios reset them between uses.
 */
export function sharedChild(file: string): Promise<Child> {
  let c = shared.get(file);
  if (!c) shared.set(file, (c = forkChild(file)));
  return c;
}

export async function stopSharedChildren(): Promise<void> {
  for (const c of shared.values()) await (await c).stop(5000).catch(() => {});
  shared.clear();
  sharedReceiverPort = null;
}

/**
 * A receiver listening on 127.0.0.1, reset, for the duration of `fn`: the shared one, or with
 * `dedicated` a process of its own (a scenario that takes its receiver down and up again).
 * Requests left hanging are dropped afterwards.
 */
export async function withReceiver<T>(
  fn: (r: Receiver) => Promise<T>,
  options: { dedicated?: boolean } = {},
): Promise<T> {
  const child = options.dedicated ? await forkChild('receiver.ts') : await sharedChild('receiver.ts');
  try {
    let port: number;
    if (options.dedicated) port = (await child.call<{ port: number }>('listen', {})).port;
    else port = await (sharedReceiverPort ??= child.call<{ port: number }>('listen', {}).then((r) => r.port));
    await child.call('reset', { trackIds: false });
    const origin = `http://127.0.0.1:${port}`;
    return await fn({
      child,
      port,
      origin,
      url: (group, suffix = '') => `${origin}/g/${group}/${suffix}`,
      count: () => child.call<ReceiverCount>('count'),
      reset: async (trackIds = false) => {
        await child.call('reset', { trackIds });
      },
    });
  } finally {
    if (options.dedicated) await child.stop(5000);
    else await child.call('dropHanging').catch(() => {});
  }
}
