import { Command } from 'commander';
import { registerServe } from './commands/serve.js';
import { registerMigrate } from './commands/migrate.js';
import { registerToken } from './commands/token.js';
import { registerListen } from './commands/listen.js';
import { registerSend } from './commands/send.js';
import { registerVerify } from './commands/verify.js';
import { registerDemo } from './commands/demo.js';
import { registerRotateEncryptionKey } from './commands/rotate-encryption-key.js';

/** `hookrelay` — a thin shell over library functions; each command lives in commands/. */
export function buildCli(): Command {
  const program = new Command('hookrelay')
    .description(
      'Self-hosted webhooks: Svix-compatible API, Standard Webhooks signing, push and pull over one event log.',
    )
    .showHelpAfterError();
  registerServe(program);
  registerMigrate(program);
  registerToken(program);
  registerListen(program);
  registerSend(program);
  registerVerify(program);
  registerDemo(program);
  registerRotateEncryptionKey(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildCli().parseAsync(argv);
}
