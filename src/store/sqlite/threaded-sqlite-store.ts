import type { SecretBox } from '../../domain/secret-box.js';
import { StoreUnavailableError } from '../../errors.js';
import type { Store } from '../store.js';
import { ObjectThread } from '../../threads/object-thread.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import type { StoreThreadData } from './sqlite-store-thread.js';
import type { AppId } from '../../ids.js';

/**
 * The SQLite store on a thread of its own (sqlite-store-thread.ts), each Store call forwarded: better-sqlite3
 * blocks its thread, and here that is not the event loop. Still one connection, one writer; a
 * thread that dies is started again on the same file, which SQLite's transactions keep whole.
 */

const THREAD_ENTRY = new URL(
  `./sqlite-store-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

export interface ThreadedSqliteStore extends Omit<
  Store,
  'dialect' | 'close' | 'onWork' | 'onMessages' | 'onListenAppend'
> {}

export class ThreadedSqliteStore implements Store {
  readonly dialect = 'sqlite' as const;

  private constructor(private readonly thread: ObjectThread) {
    // SqliteStore implements Store, so its methods include every Store method.
    thread.forwardOnto(ThreadedSqliteStore.prototype, (self: ThreadedSqliteStore) => self.thread);
  }

  /** Start the thread and open the database in it; rejects as SqliteStore's constructor would throw. */
  static async open(options: SqliteStoreOptions & { secretBox: SecretBox }): Promise<ThreadedSqliteStore> {
    const workerData: StoreThreadData = {
      file: options.file,
      key: new Uint8Array(options.secretBox.exportKey()),
      synchronous: options.synchronous ?? 'FULL',
    };
    const thread = await ObjectThread.start({
      entry: THREAD_ENTRY,
      external: ['better-sqlite3'],
      workerData,
      name: 'The SQLite store thread',
      unavailable: (message, o) => new StoreUnavailableError(message, o),
    });
    return new ThreadedSqliteStore(thread);
  }

  onWork(listener: () => void): () => void {
    return this.thread.on('work', listener);
  }

  onMessages(listener: (appId: AppId) => void): () => void {
    return this.thread.on('messages', listener);
  }

  onListenAppend(listener: (channelId: string) => void): () => void {
    return this.thread.on('listen', listener);
  }

  close(): Promise<void> {
    return this.thread.close('close', new StoreUnavailableError('The SQLite database is closed.'));
  }
}
