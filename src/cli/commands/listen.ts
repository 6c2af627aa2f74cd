import type { Command } from 'commander';
import { DEFAULT_SERVER, resolveToken } from '../cli-client.js';
import { startListen } from '../listen-client.js';

interface ListenFlags {
  server: string;
  token?: string;
  channel?: string;
}

/** `hookrelay listen <port|url>`: relay a listen channel to a local server until Ctrl-C. */
export function registerListen(program: Command): void {
  program
    .command('listen <target>')
    .description('get a public inbound URL and forward every request sent to it to <port|url> on this machine')
    .option('--server <url>', 'Hookrelay server', DEFAULT_SERVER)
    .option('--token <token>', 'API token (default: HOOKRELAY_TOKEN, else ./.hookrelay/admin-token)')
    .option('--channel <uid>', 'reuse a named channel: the same inbound URL every time')
    .action(async (target: string, flags: ListenFlags) => {
      const session = await startListen({
        server: flags.server,
        token: resolveToken(flags.token),
        target,
        channel: flags.channel,
      });
      process.stdout.write(`Forwarding ${session.url} -> ${session.target}\n(Ctrl-C to stop)\n`);
      const stop = await new Promise<{ reason: string; failed: boolean }>((resolve) => {
        process.once('SIGINT', () => resolve({ reason: 'SIGINT', failed: false }));
        process.once('SIGTERM', () => resolve({ reason: 'SIGTERM', failed: false }));
        void session.ended.then((reason) => resolve({ reason, failed: true }));
      });
      await session.close();
      process.stdout.write(`stopped (${stop.reason})\n`);
      process.exit(stop.failed ? 1 : 0);
    });
}
