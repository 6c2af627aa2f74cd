import { OPTIONS } from './config.js';

/** docs/configuration.md, rendered from the option table in config.ts (a test keeps the file current). */
export function renderConfigDocs(): string {
  const fmt = (v: unknown) =>
    v === null ? '(unset)' : Array.isArray(v) ? (v.length ? v.join(',') : '(empty)') : String(v);
  const rows = OPTIONS.map((o) => `| \`${o.env}\` | \`${fmt(o.default)}\` | ${o.doc.replace(/\|/g, '\\|')} |`);
  return [
    '# Configuration',
    '',
    'Every option Hookrelay reads, from `src/config.ts` (this file is generated from it by',
    '`npx tsx scripts/gen-config-docs.ts`; a test fails when it is out of date). Values are read from',
    'the environment at start and validated; a bad value stops the server with a message naming the',
    'variable. `hookrelay serve` flags (`--port`, `--host`, `--data-dir`, `--database-url`, `--role`)',
    'override the matching variables.',
    '',
    '| variable | default | what it does and why |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
