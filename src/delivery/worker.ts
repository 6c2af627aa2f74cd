import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { coerceError } from '../errors.js';
import type { OperationalWebhooks } from '../domain/operational-webhooks.js';
import type { ClaimedDelivery, Store } from '../store/store.js';
import { CloudEventsHandshake } from './cloudevents-handshake.js';
import { deliverOne, type DeliveryContext } from './deliver-one.js';
import { HealthReporter } from './endpoint-health.js';
import type { Resolver } from './guarded-connect.js';
import { deliveriesInFlight, deliveriesTotal, setQueueDepthSource } from './metrics.js';
import { OutcomeWriter } from './outcome-writer.js';
import { RateLimiter } from './rate-limiter.js';
import { RetryPolicy } from './retry-policy.js';
import { Sender } from './sender.js';
import { WakeSignal } from './wake-signal.js';

/**
 * The claim loop. Claim due deliveries in batches (as many as there are free slots under the
 * global cap, with the store enforcing the per-endpoint cap), send each concurrently
 * (`deliver-one.ts`), hand outcomes to the group-commit writer, and sleep until new work is
 * signalled, the next row is due, or the poll interval passes. A failed delivery is an
 * outcome, never an exception; a store fault is logged and the loop backs off and retries.
 */

export interface WorkerLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Clock {
  now(): number;
}

export interface DeliveryWorkerOptions {
  store: Store;
  config: Config;
  logger: WorkerLogger;
  /** Operational webhooks (endpoint.disabled, message.attempt.*) (Default: none sent). */
  operational?: OperationalWebhooks;
  /** (Default: Date.now.) */
  clock?: Clock;
  /** Jitter source of the retry policy (Default: Math.random); `() => 0.5` removes jitter. */
  random?: () => number;
  /** DNS resolver of the SSRF guard (Default: the system's). */
  resolver?: Resolver;
  /** How long stop() waits for in-flight requests before releasing them (Default: 5000 ms). */
  shutdownTimeoutMs?: number;
  /** Lease owner name (Default: `worker-<random>`). */
  owner?: string;
}

const systemClock: Clock = { now: () => Date.now() };

export class DeliveryWorker {
  readonly owner: string;
  private readonly store: Store;
  private readonly config: Config;
  private readonly log: WorkerLogger;
  private readonly clock: Clock;
  private readonly sender: Sender;
  private readonly writer: OutcomeWriter;
  private readonly ctx: DeliveryContext;
  private readonly wake = new WakeSignal();
  private readonly inFlight = new Map<string, Promise<void>>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private waitingForSlot = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.store = options.store;
    this.config = options.config;
    this.log = options.logger;
    this.clock = options.clock ?? systemClock;
    this.owner = options.owner ?? `worker-${randomBytes(6).toString('hex')}`;
    this.sender = new Sender({
      allowNetworks: this.config.allowNetworks,
      requestTimeoutMs: this.config.requestTimeoutMs,
      responseBodyLimitBytes: this.config.responseBodyLimitBytes,
      resolver: options.resolver,
    });
    this.writer = new OutcomeWriter(this.store, this.log, { onCommit: () => this.wake.notify() });
    const origin = this.config.publicUrl ? new URL(this.config.publicUrl).hostname : 'hookrelay';
    this.ctx = {
      owner: this.owner,
      config: this.config,
      clock: this.clock,
      sender: this.sender,
      writer: this.writer,
      policy: new RetryPolicy({ schedule: this.config.retrySchedule, random: options.random }),
      rateLimiter: new RateLimiter(),
      handshake: new CloudEventsHandshake(this.sender, origin),
      health: new HealthReporter(this.store, options.operational),
      log: this.log,
    };
  }

  start(): void {
    if (this.loop) return;
    this.unsubscribe = this.store.onWork(() => this.wake.notify());
    setQueueDepthSource(() => this.store.queueDepth());
    this.loop = this.run();
    this.log.info({ owner: this.owner }, 'delivery worker started');
  }

  /** In-flight deliveries right now (tests, metrics). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const free = this.config.workerConcurrency - this.inFlight.size;
      if (free <= 0) {
        this.waitingForSlot = true;
        await this.wake.wait(this.config.pollIntervalMs);
        this.waitingForSlot = false;
        continue;
      }
      const limit = Math.min(this.config.claimBatchSize, free);
      this.wake.clear();
      let claimed: ClaimedDelivery[];
      try {
        claimed = await this.store.claimDeliveries({
          owner: this.owner,
          limit,
          leaseMs: this.config.leaseMs,
          now: this.clock.now(),
          perEndpointLimit: this.config.endpointConcurrency,
        });
        failures = 0;
      } catch (err) {
        failures++;
        const backoff = Math.min(30_000, 100 * 2 ** Math.min(failures, 9));
        this.log.error({ err: coerceError(err), retryInMs: backoff }, 'could not claim deliveries; retrying');
        await this.wake.wait(backoff, { ignoreNotify: true });
        continue;
      }
      if (this.stopping) {
        // Claimed while stop() began: give them straight back.
        await this.release(claimed.map((c) => c.delivery.id));
        break;
      }
      for (const c of claimed) this.dispatch(c);
      if (claimed.length === limit) {
        await new Promise((r) => setImmediate(r)); // let sends start and outcomes commit, then claim more
        continue;
      }
      await this.wake.wait(await this.idleDelay(claimed.length));
    }
  }

  /** How long to sleep when the due work is drained: until the next due row, within the poll interval. */
  private async idleDelay(claimedCount: number): Promise<number> {
    const poll = this.config.pollIntervalMs;
    // Rows that are due but held back by the per-endpoint cap make nextDueAt lie in the past;
    // a floor keeps that from becoming a loop of tiny claims: the next outcome commit wakes us
    // with slots free (measured: claims of ~11 rows, two per commit, without it).
    const floor = Math.min(poll, claimedCount === 0 ? 50 : 5);
    let due: number | null;
    try {
      due = await this.store.nextDueAt();
    } catch {
      return poll;
    }
    if (due === null) return poll;
    return Math.min(poll, Math.max(floor, due - this.clock.now()));
  }

  private dispatch(c: ClaimedDelivery): void {
    const id = c.delivery.id;
    deliveriesInFlight.inc();
    const p = deliverOne(this.ctx, c).finally(() => {
      this.inFlight.delete(id);
      deliveriesInFlight.dec();
      // Only a full global cap waits for a free slot. Otherwise the next claim waits for the
      // outcome's commit (writer.onCommit): until then the row still counts against its
      // endpoint's cap, and one wake per commit claims a whole batch instead of one row.
      if (this.waitingForSlot) this.wake.notify();
    });
    this.inFlight.set(id, p);
  }

  private async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.store.releaseDeliveries(ids, this.owner);
      deliveriesTotal.inc({ outcome: 'released' }, ids.length);
    } catch (err) {
      // The leases expire on their own; another worker picks the rows up then.
      this.log.warn({ err: coerceError(err), count: ids.length }, 'could not release deliveries; their leases will expire');
    }
  }

  /**
   * Graceful stop: claim nothing more, give in-flight requests up to shutdownTimeoutMs,
   * commit the outcomes that exist, release the rows still unfinished (they are sent again,
   * with the same webhook-id, by whoever claims them next), then close connections.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.unsubscribe?.();
    this.wake.interrupt();
    await this.loop;
    const bound = this.options.shutdownTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise<void>((r) => { timer = setTimeout(r, bound); }),
    ]);
    clearTimeout(timer);
    const unfinished = [...this.inFlight.keys()];
    this.ctx.stopped = true; // late results of unfinished rows are not written
    await this.writer.flush();
    await this.release(unfinished);
    this.writer.close();
    await this.sender.close();
    setQueueDepthSource(null);
    this.log.info({ owner: this.owner, released: unfinished.length }, 'delivery worker stopped');
  }
}
