import type { Command } from 'commander';
import { DEFAULT_SERVER, parseData, resolveToken, sendMessage } from '../cli-client.js';

interface SendFlags {
  app: string;
  type: string;
  data: string;
  server: string;
  token?: string;
  eventId?: string;
  channel?: string[];
}

/** `hookrelay send --app <app> --type <eventType> --data <json|@file>`: prints the message ID. */
export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send one message (POST /api/v1/app/{app}/msg) and print its ID')
    .requiredOption('--app <app>', 'application ID or uid')
    .requiredOption('--type <eventType>', 'event type, e.g. user.registered')
    .requiredOption('--data <json|@file>', 'the payload: a JSON object, or @path to a file holding one')
    .option('--event-id <id>', 'idempotency: a second message with the same eventId is refused')
    .option('--channel <channel...>', 'channels of the message')
    .option('--server <url>', 'Hookrelay server', DEFAULT_SERVER)
    .option('--token <token>', 'API token (default: HOOKRELAY_TOKEN, else ./.hookrelay/admin-token)')
    .action(async (flags: SendFlags) => {
      const id = await sendMessage({
        server: flags.server,
        token: resolveToken(flags.token),
        app: flags.app,
        eventType: flags.type,
        payload: parseData(flags.data),
        eventId: flags.eventId,
        channels: flags.channel,
      });
      process.stdout.write(id + '\n');
    });
}
