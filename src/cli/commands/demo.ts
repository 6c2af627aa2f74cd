import type { Command } from 'commander';
import { runDemo } from '../demo-runner.js';

/** `hookrelay demo`: a self-contained tour of push and pull; exits 0 when every message arrived both ways. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start a throwaway server, send a burst, and show push deliveries and the pull read side by side')
    .option('--count <n>', 'messages in the burst', '50')
    .action(async (flags: { count: string }) => {
      const count = Number(flags.count);
      if (!Number.isInteger(count) || count < 1 || count > 10_000)
        throw new Error(`--count '${flags.count}' must be an integer from 1 to 10000`);
      const report = await runDemo({ count });
      process.exit(report.ok ? 0 : 1);
    });
}
