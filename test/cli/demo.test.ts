import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './cli-process.js';

test(
  '`hookrelay demo --count 15` pushes and pulls every message, reports latencies, exits 0',
  { timeout: 90_000 },
  async () => {
    const cli = runCli(['demo', '--count', '15']);
    const code = await Promise.race([cli.exited, new Promise((r) => setTimeout(() => r('timeout'), 80_000))]);
    if (code === 'timeout') cli.child.kill('SIGKILL');
    assert.equal(code, 0, `stdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`);
    const out = cli.stdout();
    assert.match(out, /push: 15\/15 delivered, 15\/15 signatures valid, ingest→receipt p50 \d+ ms, p95 \d+ ms/);
    assert.match(out, /pull: 15\/15 read in log order, ingest→receipt p50 \d+ ms, p95 \d+ ms/);
    assert.equal(out.match(/^msg_\S+ +\S+ +\d+ ms +\d+ ms$/gm)?.length, 15, 'one line per message with both latencies');
  },
);
