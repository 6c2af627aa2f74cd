import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { SecretBox } from '../domain/secret-box.js';

/**
 * The key that seals endpoint secrets at rest: HOOKRELAY_ENCRYPTION_KEY when set, else
 * `<dataDir>/encryption.key`, generated (mode 0600) on first start. Several machines sharing
 * one PostgreSQL database must share the key, so they should set the variable.
 */
export function loadSecretBox(config: Pick<Config, 'encryptionKey' | 'dataDir'>): SecretBox {
  if (config.encryptionKey) return new SecretBox(Buffer.from(config.encryptionKey, 'base64'));
  const file = join(config.dataDir, 'encryption.key');
  let encoded: string;
  try {
    encoded = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
    mkdirSync(config.dataDir, { recursive: true });
    encoded = randomBytes(32).toString('base64');
    try {
      writeFileSync(file, encoded + '\n', { mode: 0o600, flag: 'wx' });
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretBox(config);
      throw new ConfigError(`cannot write ${file}: ${(writeErr as Error).message}`);
    }
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new ConfigError(`${file} does not hold a base64 32-byte key.`);
  return new SecretBox(key);
}
