import { workerData } from 'node:worker_threads';
import { SecretBox } from '../../domain/secret-box.js';
import { serveObject } from '../../threads/serve-object.js';
import { SqliteStore } from './sqlite-store.js';

/** The store thread: one SqliteStore serving a ThreadedSqliteStore's calls, so better-sqlite3 blocks this thread, not the event loop. */

export interface StoreThreadData {
  file: string;
  /** The SecretBox key (32 bytes). */
  key: Uint8Array;
  synchronous: 'FULL' | 'NORMAL';
}

const data = workerData as StoreThreadData;

serveObject(
  () =>
    new SqliteStore({
      file: data.file,
      secretBox: new SecretBox(Buffer.from(data.key)),
      synchronous: data.synchronous,
    }),
  (store, emit) => {
    store.onWork(() => emit('work'));
    store.onMessages((appId) => emit('messages', appId));
    store.onListenAppend((channelId) => emit('listen', channelId));
  },
);
