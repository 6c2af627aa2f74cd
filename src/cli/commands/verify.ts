import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseHeaders, verifyCaptured } from '../verify-captured.js';

interface VerifyFlags {
  secret: string;
  headers: string;
  body: string;
  tolerance: string;
}

/** `hookrelay verify`: exit 0 when the captured request's signature is valid, 1 otherwise. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check the signature of a captured webhook request (exit 0 valid, 1 invalid)')
    .requiredOption('--secret <secret>', 'whsec_... (HMAC), whpk_... (ed25519 public key) or its whsk_... private key')
    .requiredOption(
      '--headers <file|json>',
      'the request headers: a JSON object, or a file of JSON or "Name: value" lines',
    )
    .requiredOption('--body <file>', 'the request body, byte for byte')
    .option('--tolerance <seconds>', 'maximum age of webhook-timestamp; 0 = do not check', '300')
    .action((flags: VerifyFlags) => {
      const headersText = flags.headers.trim().startsWith('{') ? flags.headers : readFileSync(flags.headers, 'utf8');
      const tolerance = Number(flags.tolerance);
      if (!Number.isInteger(tolerance) || tolerance < 0)
        throw new Error(`--tolerance '${flags.tolerance}' must be a non-negative integer`);
      const result = verifyCaptured(
        flags.secret,
        { headers: parseHeaders(headersText), body: readFileSync(flags.body) },
        { toleranceSeconds: tolerance },
      );
      if (result.ok) {
        process.stdout.write(
          `valid: ${result.scheme} signature of ${result.msgId} (signed ${new Date(result.timestamp * 1000).toISOString()})\n`,
        );
      } else {
        process.stdout.write(`invalid: ${result.reason}\n`);
        process.exitCode = 1;
      }
    });
}
