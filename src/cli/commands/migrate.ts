import type { Command } from 'commander';
import { openStore } from '../../store/open-store.js';
import { loadSecretBox } from '../../server/encryption-key.js';
import { configFromFlags, withStoreFlags, type StoreFlags } from '../config-flags.js';

export function registerMigrate(program: Command): void {
  withStoreFlags(program.command('migrate'))
    .description('apply pending database migrations and exit (serve also does this at start)')
    .action(async (flags: StoreFlags) => {
      const config = configFromFlags(flags);
      const store = await openStore(config, loadSecretBox(config)); // openStore migrates
      await store.close();
      process.stdout.write(`migrations applied (${store.dialect})\n`);
    });
}
