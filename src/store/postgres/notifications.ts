import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { hookrelayTypes } from './db.js';
import { CHANNEL_LISTEN, CHANNEL_MESSAGES, CHANNEL_WORK } from './channels.js';
import type { AppId } from '../../ids.js';

export interface NotificationOptions {
  url: string;
  /** Backend PIDs of this process's pool connections: their notifications were already dispatched locally. */
  isOwnBackend: (pid: number) => boolean;
  /** What another process's NOTIFY wakes in this one: its work, message and listen-channel listeners. */
  heard: { work(): void; messages(appId: AppId): void; listen(channelId: string): void };
}

/** Reconnect delays after the LISTEN connection drops or fails to open: doubling from the first to the last. */
const BACKOFF_MS = { first: 100, last: 5000 };

/**
 * Hears other processes' writes on a connection of its own (a LISTEN belongs to a session) and
 * hands them to `heard`; a NOTIFY from our own pool is skipped, since our writes wake their
 * listeners directly. Dropped, the connection is reopened with backoff and `heard.work` called,
 * since what was notified meanwhile is lost; nothing here throws into the process.
 */
export class Notifications {
  private client: pg.Client | null = null;
  private started = false;
  private readonly closing = new AbortController();
  private waiters: Array<() => void> = [];

  constructor(private readonly options: NotificationOptions) {}

  /** Resolves once the LISTEN connection is up (tests; a process that must not miss a cross-process wake-up). */
  listening(): Promise<void> {
    if (this.client || this.closing.signal.aborted) return Promise.resolve();
    this.start();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Opens the LISTEN connection, once; it stays open, reopened when dropped, until close(). */
  start(): void {
    if (this.started || this.closing.signal.aborted) return;
    this.started = true;
    void this.listen();
  }

  async close(): Promise<void> {
    this.closing.abort();
    for (const w of this.waiters.splice(0)) w();
    await this.client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const { signal } = this.closing;
    let backoffMs = BACKOFF_MS.first;
    for (let reconnected = false; !signal.aborted;) {
      const client = new pg.Client({
        connectionString: this.options.url,
        types: hookrelayTypes,
        keepAlive: true,
        application_name: 'hookrelay-listen',
      });
      const dropped = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      client.on('notification', (n) => this.received(n));
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL_WORK}; LISTEN ${CHANNEL_MESSAGES}; LISTEN ${CHANNEL_LISTEN}`);
        if (!signal.aborted) {
          this.client = client;
          backoffMs = BACKOFF_MS.first;
          for (const w of this.waiters.splice(0)) w();
          // Whatever was notified while we were away is lost: let the workers look for themselves.
          if (reconnected) this.options.heard.work();
          reconnected = true;
          await dropped;
        }
      } catch {
        // Not reachable now: try again after the backoff.
      }
      this.client = null;
      client.removeAllListeners('notification');
      await client.end().catch(() => {});
      await sleep(backoffMs, undefined, { signal, ref: false }).catch(() => {});
      backoffMs = Math.min(backoffMs * 2, BACKOFF_MS.last);
    }
  }

  private received(n: pg.Notification): void {
    if (this.options.isOwnBackend(n.processId)) return;
    const { heard } = this.options;
    if (n.channel === CHANNEL_WORK) heard.work();
    else if (n.channel === CHANNEL_MESSAGES && n.payload) heard.messages(n.payload as AppId);
    else if (n.channel === CHANNEL_LISTEN && n.payload) heard.listen(n.payload);
  }
}
