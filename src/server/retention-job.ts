import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

/**
 * Expunges message payloads and attempt bodies past their retention, once an hour (and once
 * shortly after start). Counts and delivery rows remain. Running it in several processes at
 * once is harmless: the update is idempotent.
 */
export class RetentionJob {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: Store,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly intervalMs = 3_600_000,
  ) {}

  async runOnce(now = Date.now()): Promise<void> {
    try {
      const expunged = await this.store.expireContent(now);
      if (expunged.messages || expunged.attempts) this.logger.info({ expunged }, 'retention: expunged expired content');
    } catch (err) {
      this.logger.warn({ err }, 'retention run failed; will retry next interval');
    }
  }

  start(): void {
    this.timers.push(setTimeout(() => void this.runOnce(), 10_000), setInterval(() => void this.runOnce(), this.intervalMs));
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
