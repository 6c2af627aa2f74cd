/**
 * Where claimed deliveries wait for a request slot: at most `perKey` requests in flight to one
 * endpoint and `global` in all. A finished request hands its slot straight to the next row
 * queued for the same endpoint, so an endpoint's throughput does not wait for the outcome's
 * commit and the next claim (the store leases a window of rows per endpoint, larger than the
 * cap, for this queue to draw from). When the global cap is what holds rows back, free slots go
 * round-robin over the endpoints that wait, so one busy endpoint cannot take them all.
 */

export interface RequestSlotsOptions<T> {
  perKey: number;
  global: number;
  keyOf(item: T): string;
  /** Runs one item; never rejects (the slot is freed when it settles either way). */
  run(item: T): Promise<void>;
  /** The clock for `moving` (Default: Date.now). */
  now?: () => number;
}

export class RequestSlots<T> {
  /** Keys with waiting items, in round-robin order (a served key moves to the back). */
  private readonly queues = new Map<string, T[]>();
  private readonly active = new Map<string, number>();
  /** Per key with requests in flight: when it last went from idle to busy or finished one. */
  private readonly progressAt = new Map<string, number>();
  private readonly now: () => number;
  private running = 0;
  private waiting = 0;

  constructor(private readonly options: RequestSlotsOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting;
  }

  /**
   * Items held (in flight or queued) under keys that finished a request, or went from idle to
   * busy, within `withinMs`. A key whose requests have all hung longer moves none of its items, so
   * they are left out: one hung endpoint does not make the whole set look busy.
   */
  moving(withinMs: number): number {
    const now = this.now();
    let stalled = 0;
    for (const [key, at] of this.progressAt) {
      if (now - at > withinMs) stalled += this.active.get(key)! + (this.queues.get(key)?.length ?? 0);
    }
    return this.running + this.waiting - stalled;
  }

  /** Queue items and start those with a free slot. */
  add(items: readonly T[]): void {
    for (const item of items) {
      const key = this.options.keyOf(item);
      const q = this.queues.get(key);
      if (q) q.push(item);
      else this.queues.set(key, [item]);
      this.waiting++;
    }
    this.fill();
  }

  /** Remove and return everything not yet started (shutdown). */
  takeQueued(): T[] {
    const out = [...this.queues.values()].flat();
    this.queues.clear();
    this.waiting = 0;
    return out;
  }

  /** Start waiting items while slots are free, one per key per pass. */
  private fill(): void {
    let started = true;
    while (started && this.waiting > 0 && this.running < this.options.global) {
      started = false;
      for (const key of [...this.queues.keys()]) {
        if (this.running >= this.options.global) break;
        if ((this.active.get(key) ?? 0) >= this.options.perKey) continue;
        this.startNext(key);
        started = true;
      }
    }
  }

  /** Start the next item queued under `key` (which must have one), moving the key to the back. */
  private startNext(key: string): void {
    const q = this.queues.get(key)!;
    const item = q.shift()!;
    this.waiting--;
    this.queues.delete(key);
    if (q.length > 0) this.queues.set(key, q);
    this.running++;
    const active = this.active.get(key) ?? 0;
    if (active === 0) this.progressAt.set(key, this.now());
    this.active.set(key, active + 1);
    void this.options.run(item).finally(() => this.finished(key));
  }

  private finished(key: string): void {
    const globalWasFull = this.running >= this.options.global;
    this.running--;
    const left = this.active.get(key)! - 1;
    if (left === 0) {
      this.active.delete(key);
      this.progressAt.delete(key);
    } else {
      this.active.set(key, left);
      this.progressAt.set(key, this.now());
    }
    if (this.waiting === 0) return;
    // With global room to spare only this key's slot is new; a full global cap may have been
    // holding back any key, so its freed slot goes round-robin.
    if (globalWasFull) this.fill();
    else if (this.queues.has(key)) this.startNext(key);
  }
}
