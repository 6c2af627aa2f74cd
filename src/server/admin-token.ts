import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';

export const ADMIN_TOKEN_SETTING = 'admin_token_sha256';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export interface AdminToken {
  /** What the API compares presented tokens against. */
  hash: string;
  /** The token in clear, only when this start generated it (print it once). */
  generated: string | null;
  /** Where a generated token was saved for the operator (SQLite data dir), if anywhere. */
  file: string;
}

/**
 * HOOKRELAY_ADMIN_TOKEN when set. Otherwise the first process to start generates one, stores
 * its hash in the store (shared by every process on PostgreSQL) and writes the token to
 * `<dataDir>/admin-token` (0600) so a local operator can find it again; later starts reuse it.
 */
export async function resolveAdminToken(
  store: Store,
  config: Pick<Config, 'adminToken' | 'dataDir'>,
): Promise<AdminToken> {
  const file = join(config.dataDir, 'admin-token');
  if (config.adminToken) return { hash: sha256Hex(config.adminToken), generated: null, file };
  const existing = await store.getSetting(ADMIN_TOKEN_SETTING);
  if (existing) return { hash: existing, generated: null, file };
  const token = generateToken('hr_admin_');
  const stored = await store.setSettingIfAbsent(ADMIN_TOKEN_SETTING, sha256Hex(token));
  if (stored !== sha256Hex(token)) return { hash: stored, generated: null, file };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return { hash: stored, generated: token, file };
}
