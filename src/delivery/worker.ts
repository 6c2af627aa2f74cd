import { randomBytes } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config.js';
import { coerceError } from '../errors.js';
import type { OperationalWebhooks } from '../domain/operational-webhooks.js';
import type { ClaimedDelivery, ClaimRequest, Store } from '../store/store.js';
import { CloudEventsHandshake } from './cloudevents-handshake.js';
import { deliverOne, type DeliveryContext } from './deliver-one.js';
import { HealthReporter } from './endpoint-health.js';
import type { Resolver } from './guarded-connect.js';
import {
  claimDuration,
  countDeliveries,
  deliveryEnded,
  deliveryStarted,
  leaseShortReleases,
  setEndpointLabelLimit,
  setQueueStatsSource,
} from './metrics.js';
import { OutcomeWriter } from './outcome-writer.js';
import { RateLimiter } from './rate-limiter.js';
import { RequestSlots } from './request-slots.js';
import { RetryPolicy } from './retry-policy.js';
import { Sender } from './sender.js';
import { WakeSignal } from './wake-signal.js';

/**
 * The claim loop. Claim due deliveries in batches, queue them for a request slot
 * (`request-slots.ts`: the per-endpoint and global caps on requests in flight), send each
 * (`deliver-one.ts`), hand outcomes to the group-commit writer, and sleep until new work is
 * signalled, the next row is due, or the poll interval passes. While deliveries flow, the
 * writer's commits claim too (store.completeAndClaim: the rows their outcomes free, in the same
 * transaction), so the loop itself mostly runs when new messages arrive. A failed delivery is an
 * outcome, never an exception; a store fault is logged and the loop backs off and retries.
 *
 * The store leases each endpoint a window of LEASE_WINDOW × endpointConcurrency rows, so the
 * next request to an endpoint starts the moment one finishes instead of after its outcome's
 * commit and another claim; rows whose request is over and whose outcome waits for the writer
 * do not count (ClaimRequest.settling), so a slow commit does not shrink the window. A queued row
 * whose lease no longer covers a whole request is released rather than sent (another claim may
 * take it again), so a lease never runs out mid-request.
 */

/** Rows leased per endpoint, as a multiple of its cap on requests in flight. */
export const LEASE_WINDOW = 8;
/** Rows held by one process (in flight + queued), as a multiple of workerConcurrency. */
const HOLD_FACTOR = 2;
/** An endpoint with requests in flight that neither finishes one nor goes from idle to busy for this long is stalled. */
const STALLED_MS = 100;
/** A queued row is sent only with this much lease left beyond the request timeout (at most half the slack). */
const LEASE_MARGIN_MS = 1000;

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
  /** A span per delivery attempt (HOOKRELAY_TRACING) (Default: none). */
  tracer?: Tracer | null;
}

const systemClock: Clock = { now: () => Date.now() };

interface Held {
  claimed: ClaimedDelivery;
  leaseUntil: number;
}

export class DeliveryWorker {
  readonly owner: string;
  private readonly store: Store;
  private readonly config: Config;
  private readonly log: WorkerLogger;
  private readonly clock: Clock;
  private readonly sender: Sender;
  private readonly writer: OutcomeWriter;
  private readonly ctx: DeliveryContext;
  /** A queued row is sent only with at least this much lease left: the request timeout plus a margin. */
  private readonly leaseNeededMs: number;
  private readonly wake = new WakeSignal();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly slots: RequestSlots<Held>;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private waitingForSlot = false;
  private unsubscribe: (() => void) | null = null;
  /** A wake-up from the store that came while an outcome commit was on its way (onStoreWork). */
  private wakeAfterCommit = false;

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
    this.writer = new OutcomeWriter(this.store, this.log, {
      claimWith: () => this.claimRequest(),
      onCommit: (_count, claimed) => {
        if (!claimed || this.wakeAfterCommit) {
          this.wakeAfterCommit = false;
          this.wake.notify();
        }
        if (!claimed) return;
        this.takeClaimed(claimed.rows, claimed.request);
      },
    });
    const origin = this.config.publicUrl ? new URL(this.config.publicUrl).hostname : 'hookrelay';
    this.ctx = {
      owner: this.owner,
      config: this.config,
      clock: this.clock,
      sender: this.sender,
      writer: this.writer,
      policy: new RetryPolicy({ schedule: this.config.retrySchedule, random: options.random }),
      rateLimiter: new RateLimiter(this.store, this.clock),
      handshake: new CloudEventsHandshake(this.sender, origin),
      health: new HealthReporter(this.store, options.operational),
      log: this.log,
      tracer: options.tracer ?? null,
    };
    this.leaseNeededMs =
      this.config.requestTimeoutMs +
      Math.min(LEASE_MARGIN_MS, (this.config.leaseMs - this.config.requestTimeoutMs) / 2);
    this.slots = new RequestSlots<Held>({
      perKey: this.config.endpointConcurrency,
      global: this.config.workerConcurrency,
      keyOf: (h) => h.claimed.endpoint.id,
      run: (h) => this.send(h),
      now: () => this.clock.now(),
    });
  }

  start(): void {
    if (this.loop) return;
    this.unsubscribe = this.store.onWork(() => this.onStoreWork());
    setQueueStatsSource((now) => this.store.queueStats(now));
    setEndpointLabelLimit(this.config.metricsEndpointLabels);
    this.loop = this.run();
    this.log.info({ owner: this.owner }, 'delivery worker started');
  }

  /**
   * New work in the store (another process's ingest, a retry come due, an ordered key's next
   * row). While an outcome commit of ours is on its way, its claim comes first, so the wake-up
   * waits for that commit to end: the loop then claims what the commit's claim left, instead of
   * both claiming at once and queueing on the claim lock.
   */
  private onStoreWork(): void {
    if (this.writer.idle) this.wake.notify();
    else this.wakeAfterCommit = true;
  }

  /** In-flight deliveries right now (tests, metrics). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Rows this process holds a lease on and has not finished: in flight or queued for a slot. */
  private get held(): number {
    return this.slots.inFlight + this.slots.queued;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const request = this.claimRequest();
      if (!request) {
        this.waitingForSlot = true;
        await this.wake.wait(this.config.pollIntervalMs);
        this.waitingForSlot = false;
        continue;
      }
      this.wake.clear();
      let claimed: ClaimedDelivery[];
      const endTimer = claimDuration.startTimer();
      try {
        claimed = await this.store.claimDeliveries(request);
        endTimer();
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
      this.accept(claimed, request);
      if (claimed.length === request.limit) {
        await new Promise((r) => setImmediate(r)); // let sends start and outcomes commit, then claim more
        continue;
      }
      await this.wake.wait(await this.idleDelay(claimed.length));
    }
  }

  /** The next claim: as many rows as the hold has room for, within the batch size; null when full or stopping. */
  claimRequest(): ClaimRequest | null {
    const free = HOLD_FACTOR * this.config.workerConcurrency - this.held;
    if (this.stopping || free <= 0) return null;
    return {
      owner: this.owner,
      limit: Math.min(this.config.claimBatchSize, free),
      leaseMs: this.config.leaseMs,
      now: this.clock.now(),
      perEndpointLimit: LEASE_WINDOW * this.config.endpointConcurrency,
      settling: this.writer.settling(),
    };
  }

  /**
   * The claim a batch of new messages makes for this worker, where the store has the hand-off
   * (Outbox): when the worker holds nothing that moves, or no outcome commit of its own is on its
   * way, the times a new message would otherwise wait for a wake-up and a claim of its own. While
   * both are busy, the outcome commits claim (completeAndClaim), in larger batches, because an
   * ingest that claims holds the claim lock through its commit and so delays theirs. Claiming with
   * every batch would slow ingest with lock waits. Rows of a stalled endpoint do not count as held:
   * they would keep the hold from ever being empty, and the other endpoints' new messages would
   * all wait for an outcome commit.
   */
  ingestClaimRequest(): ClaimRequest | null {
    return this.writer.idle || this.slots.moving(STALLED_MS) === 0 ? this.claimRequest() : null;
  }

  /**
   * Rows claimed for this worker by another writer's transaction: an outcome commit's
   * (completeAndClaim) or a batch of new messages' (Outbox). Queued like the loop's own;
   * given back if the worker stopped meanwhile.
   */
  takeClaimed(rows: ClaimedDelivery[], request: ClaimRequest): void {
    if (rows.length === 0) return;
    if (this.stopping) {
      void this.release(rows.map((c) => c.delivery.id));
      return;
    }
    this.accept(rows, request);
    // A full claim may have left due rows behind: let the loop look for them.
    if (rows.length === request.limit) this.wake.notify();
  }

  /** Claimed rows join the queues of the request slots. */
  private accept(rows: ClaimedDelivery[], request: ClaimRequest): void {
    const leaseUntil = request.now + request.leaseMs;
    this.slots.add(rows.map((c) => ({ claimed: c, leaseUntil })));
  }

  /** How long to sleep when the due work is drained: until the next due row, within the poll interval. */
  private async idleDelay(claimedCount: number): Promise<number> {
    const poll = this.config.pollIntervalMs;
    // Rows that are due but held back by the per-endpoint lease window make nextDueAt lie in
    // the past; a floor keeps that from becoming a loop of tiny claims: the next outcome commit
    // claims them in one batch instead of many claims of a few rows each.
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

  /** Run by the request slots: one delivery, or its release when too little lease is left to send it. */
  private send({ claimed: c, leaseUntil }: Held): Promise<void> {
    const id = c.delivery.id;
    if (this.stopping) return this.release([id]);
    if (leaseUntil - this.clock.now() < this.leaseNeededMs) {
      leaseShortReleases.inc();
      return this.release([id]);
    }
    deliveryStarted();
    const p = deliverOne(this.ctx, c).finally(() => {
      this.inFlight.delete(id);
      deliveryEnded();
      // Only a full hold waits for a free slot. Otherwise the next claim comes with the
      // outcome's commit: until then the row still counts against its endpoint's lease window,
      // and one claim per commit leases a whole batch instead of one row.
      if (this.waitingForSlot) this.wake.notify();
    });
    this.inFlight.set(id, p);
    return p;
  }

  private async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.store.releaseDeliveries(ids, this.owner);
      countDeliveries('released', ids.length);
    } catch (err) {
      // The leases expire on their own; another worker picks the rows up then.
      this.log.warn(
        { err: coerceError(err), count: ids.length },
        'could not release deliveries; their leases will expire',
      );
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
    const queued = this.slots.takeQueued().map((h) => h.claimed.delivery.id);
    const bound = this.options.shutdownTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise<void>((r) => {
        timer = setTimeout(r, bound);
      }),
    ]);
    clearTimeout(timer);
    const unfinished = [...this.inFlight.keys(), ...queued];
    this.ctx.stopped = true; // late results of unfinished rows are not written
    await this.writer.flush();
    await this.release(unfinished);
    this.writer.close();
    await this.sender.close();
    setQueueStatsSource(null);
    this.log.info({ owner: this.owner, released: unfinished.length }, 'delivery worker stopped');
  }
}
