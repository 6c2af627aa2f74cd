import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';

/** Flags shared by commands that open the store; each overrides its HOOKRELAY_* variable. */
export function withStoreFlags(cmd: Command): Command {
  return cmd
    .option(
      '--data-dir <dir>',
      'directory of the SQLite file and generated keys (HOOKRELAY_DATA_DIR, default ./.hookrelay)',
    )
    .option('--database-url <url>', 'postgres:// URL; switches to PostgreSQL (HOOKRELAY_DATABASE_URL)');
}

export interface StoreFlags {
  dataDir?: string;
  databaseUrl?: string;
}

export function configFromFlags(flags: StoreFlags & Partial<Config>, extra: Partial<Config> = {}): Config {
  const { dataDir, databaseUrl, ...rest } = flags;
  const overrides: Partial<Config> = { ...rest, ...extra };
  if (dataDir !== undefined) overrides.dataDir = dataDir;
  if (databaseUrl !== undefined) overrides.databaseUrl = databaseUrl;
  return loadConfig(process.env, overrides);
}
