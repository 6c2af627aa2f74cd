import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { SecretBox } from '../domain/secret-box.js';
import { ConfigError } from '../errors.js';
import { openStore } from '../store/open-store.js';
import { loadSecretBox } from './encryption-key.js';
import { checkEncryptionKey, checkValue, ENCRYPTION_KEY_CHECK_SETTING } from './encryption-key-check.js';

export interface KeyRotation {
  /** The new key, base64: set it as HOOKRELAY_ENCRYPTION_KEY on every process. */
  newKey: string;
  endpoints: number;
  /** Set when the old key came from the data dir's key file, which now holds the new key. */
  keyFile: string | null;
}

/**
 * Re-seal every endpoint secret under a new key, with the database's check value, in one
 * transaction; processes still running with the old key can no longer open secrets, so they are
 * stopped first (docs/operations.md). When the current key is the data dir's file, the new key is
 * written beside it first (`encryption.key.new`) and renamed over it after the commit, so a crash
 * in between leaves the key that opens the database on disk.
 */
export async function rotateEncryptionKey(config: Config, newKeyBase64: string | null): Promise<KeyRotation> {
  const newKey = newKeyBase64 === null ? randomBytes(32) : Buffer.from(newKeyBase64, 'base64');
  if (newKey.length !== 32)
    throw new ConfigError('--new-key must be 32 bytes, base64-encoded (openssl rand -base64 32).');
  const oldBox = loadSecretBox(config);
  if (oldBox.exportKey().equals(newKey)) throw new ConfigError('--new-key is the key in use now; nothing to rotate.');
  const newBox = new SecretBox(newKey);
  const store = await openStore(config, oldBox);
  const keyFile = config.encryptionKey ? null : join(config.dataDir, 'encryption.key');
  try {
    await checkEncryptionKey(store, oldBox, config);
    if (keyFile) writeFileSync(`${keyFile}.new`, newKey.toString('base64') + '\n', { mode: 0o600 });
    const endpoints = await store.reencryptSecrets(newKey, { [ENCRYPTION_KEY_CHECK_SETTING]: checkValue(newBox) });
    if (keyFile) renameSync(`${keyFile}.new`, keyFile);
    return { newKey: newKey.toString('base64'), endpoints, keyFile };
  } finally {
    await store.close();
  }
}
