/**
 * A level-triggered wake-up (the claim loop's, and the outcome writer's fill): `notify()` before
 * `wait()` is not lost (the next wait returns at once), and `clear()` drops notifications that a
 * claim about to happen makes redundant. A backoff sleep ignores notify() but not interrupt() (shutdown).
 */
export class WakeSignal {
  private pending = false;
  private readonly waiters = new Set<{ done: () => void; ignoreNotify: boolean }>();

  notify(): void {
    let woke = false;
    for (const w of this.waiters) {
      if (!w.ignoreNotify) {
        w.done();
        woke = true;
      }
    }
    if (!woke) this.pending = true;
  }

  /** Wake every sleeper, backoffs included. */
  interrupt(): void {
    for (const w of this.waiters) w.done();
    this.pending = true;
  }

  clear(): void {
    this.pending = false;
  }

  /** Resolve on notify() or after `ms`; with `ignoreNotify` only interrupt() cuts it short. */
  wait(ms: number, options: { ignoreNotify?: boolean } = {}): Promise<void> {
    const ignoreNotify = options.ignoreNotify ?? false;
    if (ms <= 0) return Promise.resolve();
    if (this.pending && !ignoreNotify) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const w = {
        ignoreNotify,
        done: () => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve();
        },
      };
      const timer = setTimeout(w.done, ms);
      this.waiters.add(w);
    });
  }
}
