import { join } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Store } from '../store/store.js';

export const ENCRYPTION_KEY_CHECK_SETTING = 'encryption_key_check';
const CHECK_PLAINTEXT = 'hookrelay encryption key check v1';
/** How many applications a database without a check value is searched for a sealed secret. */
const PROBE_APPLICATIONS = 50;

/**
 * Refuses to start a process whose encryption key cannot open what the database holds. The first
 * process seals a fixed text into the settings; every later start must open it. A database from
 * before the check value is verified against a stored endpoint secret first. Runs before the
 * worker and the API start, so a wrong key claims nothing and serves nothing.
 */
export async function checkEncryptionKey(
  store: Store,
  box: SecretBox,
  config: Pick<Config, 'encryptionKey' | 'dataDir'>,
): Promise<void> {
  const stored = await store.getSetting(ENCRYPTION_KEY_CHECK_SETTING);
  if (stored !== null) return verify(stored, box, config);
  await probeEndpointSecret(store, config);
  const winner = await store.setSettingIfAbsent(ENCRYPTION_KEY_CHECK_SETTING, checkValue(box));
  verify(winner, box, config);
}

/** The check value a database sealed under `box`'s key holds. */
export function checkValue(box: SecretBox): string {
  return box.seal(CHECK_PLAINTEXT);
}

function verify(sealed: string, box: SecretBox, config: Pick<Config, 'encryptionKey' | 'dataDir'>): void {
  let opened: string | null = null;
  try {
    opened = box.open(sealed);
  } catch {
    // An authentication failure is exactly the mismatch reported below.
  }
  if (opened !== CHECK_PLAINTEXT) throw mismatch(config);
}

async function probeEndpointSecret(store: Store, config: Pick<Config, 'encryptionKey' | 'dataDir'>): Promise<void> {
  const apps = await store.listApplications({ limit: PROBE_APPLICATIONS, iterator: null, order: 'ascending' });
  for (const app of apps.data) {
    try {
      const endpoints = await store.listEndpoints(app.id, { limit: 1, iterator: null, order: 'ascending' });
      if (endpoints.data.length > 0) return;
    } catch (err) {
      if (isAuthenticationFailure(err)) throw mismatch(config);
      throw err;
    }
  }
}

function isAuthenticationFailure(err: unknown): boolean {
  return err instanceof Error && /unable to authenticate data|Unsupported state/i.test(err.message);
}

function mismatch(config: Pick<Config, 'encryptionKey' | 'dataDir'>): ConfigError {
  const source = config.encryptionKey
    ? 'HOOKRELAY_ENCRYPTION_KEY'
    : `the key file ${join(config.dataDir, 'encryption.key')} (HOOKRELAY_ENCRYPTION_KEY is not set)`;
  return new ConfigError(
    `the encryption key from ${source} does not open the endpoint secrets in this database: it was set up with another key. ` +
      'Start every process on this database with the same HOOKRELAY_ENCRYPTION_KEY (docs/operations.md: "Rotate the encryption key"). ' +
      'Nothing was claimed or changed.',
  );
}
