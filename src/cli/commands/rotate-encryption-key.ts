import type { Command } from 'commander';
import { rotateEncryptionKey } from '../../server/encryption-key-rotation.js';
import { configFromFlags, withStoreFlags, type StoreFlags } from '../config-flags.js';

interface RotateFlags extends StoreFlags {
  newKey?: string;
}

export function registerRotateEncryptionKey(program: Command): void {
  withStoreFlags(program.command('rotate-encryption-key'))
    .description(
      're-encrypt every endpoint secret under a new key (stop every process on the database first; docs/operations.md)',
    )
    .option('--new-key <base64>', 'the new 32-byte key, base64 (default: a random one, printed)')
    .action(async (flags: RotateFlags) => {
      const { newKey, ...storeFlags } = flags;
      const result = await rotateEncryptionKey(configFromFlags(storeFlags), newKey ?? null);
      const lines = [`re-encrypted the secrets of ${result.endpoints} endpoints under the new key`];
      if (result.keyFile) lines.push(`the new key is in ${result.keyFile}`);
      else lines.push('start every process with the new HOOKRELAY_ENCRYPTION_KEY:');
      if (!result.keyFile && !newKey) lines.push(`  HOOKRELAY_ENCRYPTION_KEY=${result.newKey}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
