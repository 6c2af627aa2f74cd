import pg from 'pg';
import { hookrelayTypes } from './db.js';
import { Listeners } from '../../listeners.js';

import { CHANNEL_LISTEN, CHANNEL_MESSAGES, CHANNEL_WORK } from './channels.js';
import type { AppId } from '../../ids.js';

export interface NotificationOptions {
  url: string;
  /** First reconnect delay after the LISTEN connection drops; doubles up to maxBackoffMs. (Default: 100 ms) */
  minBackoffMs?: number;
  /** (Default: 5000 ms) */
  maxBackoffMs?: number;
  /** Backend PIDs of this process's pool connections: their notifications were already dispatched locally. */
  isOwnBackend: (pid: number) => boolean;
}

/**
 * Wakes `onWork` / `onMessages` listeners. Writes made by this process call them directly
 * right after COMMIT (`dispatchWork` / `dispatchMessages`); writes from any other process
 * arrive through one dedicated LISTEN connection (not a pool client: a LISTEN belongs to a
 * session). Notifications whose sender PID is one of our own pool connections are skipped,
 * so a local write wakes a listener once, not twice.
 *
 * The LISTEN connection opens when the first listener registers. If it drops (PostgreSQL
 * restart, network), it is reopened with exponential backoff, and every work listener is
 * called once after it is back, since notifications sent meanwhile are lost. Nothing here
 * ever throws into the process: a failing listener or connection is swallowed and retried.
 */
export class Notifications {
  private readonly work = new Listeners<[]>();
  private readonly messages = new Listeners<[AppId]>();
  private readonly listen = new Listeners<[string]>();
  private client: pg.Client | null = null;
  private connecting = false;
  private closed = false;
  private everConnected = false;
  private backoffMs: number;
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  lastError: Error | null = null;

  constructor(private readonly options: NotificationOptions) {
    this.backoffMs = options.minBackoffMs ?? 100;
  }

  onWork(listener: () => void): () => void {
    this.ensureConnected();
    return this.work.add(listener);
  }

  onMessages(listener: (appId: AppId) => void): () => void {
    this.ensureConnected();
    return this.messages.add(listener);
  }

  onListen(listener: (channelId: string) => void): () => void {
    this.ensureConnected();
    return this.listen.add(listener);
  }

  /** Resolves once the LISTEN connection is up (tests; a process that must not miss a cross-process wake-up). */
  listening(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.ensureConnected();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  dispatchWork(): void {
    this.work.fire();
  }

  dispatchMessages(appIds: Iterable<AppId>): void {
    for (const appId of appIds) this.messages.fire(appId);
  }

  dispatchListen(channelId: string): void {
    this.listen.fire(channelId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    for (const w of this.waiters.splice(0)) w();
    await client?.end().catch(() => {});
  }

  private ensureConnected(): void {
    if (this.client || this.connecting || this.closed || this.timer) return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.connecting = true;
    const client = new pg.Client({
      connectionString: this.options.url,
      types: hookrelayTypes,
      keepAlive: true,
      application_name: 'hookrelay-listen',
    });
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client, null));
    client.on('notification', (n) => this.received(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL_WORK}; LISTEN ${CHANNEL_MESSAGES}; LISTEN ${CHANNEL_LISTEN}`);
    } catch (err) {
      this.connecting = false;
      this.lastError = err as Error;
      client.removeAllListeners('end');
      client.end().catch(() => {});
      this.scheduleReconnect();
      return;
    }
    this.connecting = false;
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.backoffMs = this.options.minBackoffMs ?? 100;
    const reconnected = this.everConnected;
    this.everConnected = true;
    for (const w of this.waiters.splice(0)) w();
    // Whatever was notified while we were away is lost: let the workers look for themselves.
    if (reconnected) this.dispatchWork();
  }

  private dropped(client: pg.Client, err: Error | null): void {
    if (err) this.lastError = err;
    if (this.client !== client) return; // a failed connect attempt; connect() handles it
    this.client = null;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }

  private received(n: pg.Notification): void {
    if (this.options.isOwnBackend(n.processId)) return;
    if (n.channel === CHANNEL_WORK) this.dispatchWork();
    else if (n.channel === CHANNEL_MESSAGES && n.payload) this.dispatchMessages([n.payload as AppId]);
    else if (n.channel === CHANNEL_LISTEN && n.payload) this.dispatchListen(n.payload);
  }
}
