import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../ids.js';
import { idRange } from './id-range.js';

test('a row made at any millisecond of [since, until) has its ID in [from, below); rows just outside may share a bound second', () => {
  const since = Date.UTC(2026, 5, 1, 0, 0, 0, 400);
  const until = since + 2_000;
  const { from, below } = idRange('message', since, until);
  for (const at of [since, since + 600, until - 1]) {
    const id = newId('message', at);
    assert.ok(id >= from! && id < below!, `${at - since} ms after since`);
  }
  assert.ok(newId('message', since - 401) < from!, 'the second before since is below');
  assert.ok(newId('message', until + 600) >= below!, "the second after until's last millisecond is above");
  assert.equal(idRange('message', undefined, until).from, null);
  assert.equal(idRange('message', since, undefined).below, null);
  // until on a second boundary: its own second holds nothing of the range.
  const whole = Date.UTC(2026, 5, 1, 0, 0, 10);
  assert.ok(newId('message', whole) >= idRange('message', undefined, whole).below!);
});
