import type { Command } from 'commander';
import { newId } from '../../ids.js';
import { openStore } from '../../store/open-store.js';
import { loadSecretBox } from '../../server/encryption-key.js';
import { generateToken, sha256Hex } from '../../server/admin-token.js';
import { configFromFlags, withStoreFlags, type StoreFlags } from '../config-flags.js';

interface TokenFlags extends StoreFlags {
  app: string;
  days: string;
}

/** `hookrelay token --app <id|uid>`: mint an app-scoped API token (sees only that application). */
export function registerToken(program: Command): void {
  withStoreFlags(program.command('token'))
    .description('create an app-scoped API token (the admin token is HOOKRELAY_ADMIN_TOKEN or <data-dir>/admin-token)')
    .requiredOption('--app <app>', 'application id or uid the token is limited to')
    .option('--days <n>', 'days until the token expires (0 = never)', '365')
    .action(async (flags: TokenFlags) => {
      const days = Number(flags.days);
      if (!Number.isInteger(days) || days < 0)
        throw new Error(`--days '${flags.days}' must be a non-negative integer.`);
      const config = configFromFlags(flags);
      const store = await openStore(config, loadSecretBox(config));
      try {
        const app = await store.getApplication(flags.app);
        if (!app) throw new Error(`application '${flags.app}' not found`);
        const token = generateToken('hr_app_');
        const now = Date.now();
        await store.createToken({
          id: newId('token', now),
          hash: sha256Hex(token),
          appId: app.id,
          expiresAt: days === 0 ? null : now + days * 86_400_000,
          now,
        });
        process.stdout.write(token + '\n');
      } finally {
        await store.close();
      }
    });
}
