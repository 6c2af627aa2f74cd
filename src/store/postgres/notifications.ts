import pg from 'pg';
import { hookrelayTypes } from './db.js';

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
  /** What another process's NOTIFY wakes in this one: its work, message and listen-channel listeners. */
  heard: { work(): void; messages(appId: AppId): void; listen(channelId: string): void };
}

/**
 * Hears other processes' writes on a connection of its own (a LISTEN belongs to a session) and
 * hands them to `heard`; a NOTIFY from our own pool is skipped, since our writes wake their
 * listeners directly. Dropped, the connection is reopened with backoff and `heard.work` called,
 * since what was notified meanwhile is lost; nothing here throws into the process.
 */
export class Notifications {
  private client: pg.Client | null = null;
  private connecting = false;
  private closed = false;
  private everConnected = false;
  private backoffMs: number;
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: NotificationOptions) {
    this.backoffMs = options.minBackoffMs ?? 100;
  }

  /** Resolves once the LISTEN connection is up (tests; a process that must not miss a cross-process wake-up). */
  listening(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.start();
    return new Promise((resolve) => this.waiters.push(resolve));
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

  /** Opens the LISTEN connection unless it is open, opening, or waiting to reconnect. */
  start(): void {
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
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (n) => this.received(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL_WORK}; LISTEN ${CHANNEL_MESSAGES}; LISTEN ${CHANNEL_LISTEN}`);
    } catch {
      this.connecting = false;
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
    if (reconnected) this.options.heard.work();
  }

  private dropped(client: pg.Client): void {
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
    const { heard } = this.options;
    if (n.channel === CHANNEL_WORK) heard.work();
    else if (n.channel === CHANNEL_MESSAGES && n.payload) heard.messages(n.payload as AppId);
    else if (n.channel === CHANNEL_LISTEN && n.payload) heard.listen(n.payload);
  }
}
