import type { Store } from '../store/store.js';

/**
 * Wakes long-polls and streams when messages of their app are committed. One subscription to
 * `store.onMessages` per process, fanned out per app. Race-free by generations: a reader takes
 * `generation(appId)` BEFORE it reads the store; `waitForChange` then returns at once if a
 * commit happened in between, so a message committed during the read is never slept through.
 */
export class MessageWakeups {
  private readonly generations = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly unsubscribe: () => void;

  constructor(store: Pick<Store, 'onMessages'>) {
    this.unsubscribe = store.onMessages((appId) => this.bump(appId));
  }

  generation(appId: string): number {
    return this.generations.get(appId) ?? 0;
  }

  /** Resolves true when `appId` has had a commit since `since`, false on timeout or abort. */
  waitForChange(appId: string, since: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.generation(appId) !== since) return Promise.resolve(true);
    if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let set = this.waiters.get(appId);
      if (!set) this.waiters.set(appId, (set = new Set()));
      const done = (woken: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        set!.delete(wake);
        if (set!.size === 0 && this.waiters.get(appId) === set) this.waiters.delete(appId);
        resolve(woken);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      set.add(wake);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  private bump(appId: string): void {
    // Generations only need to differ, so wrapping is harmless; bounded memory: one number per app seen.
    this.generations.set(appId, (this.generation(appId) + 1) % Number.MAX_SAFE_INTEGER);
    const set = this.waiters.get(appId);
    if (set) for (const wake of [...set]) wake();
  }
}
