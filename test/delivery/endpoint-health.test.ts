import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { claimedFixture } from './fixtures.js';
import { assessHealth, type AttemptFacts } from '../../src/delivery/endpoint-health.js';

const DAY = 86_400_000;
const now = 100 * DAY;
const facts = (
  over: Partial<Omit<AttemptFacts, 'reason'>> & { reason?: AttemptFacts['reason'] } & {
    failingSince?: number | null;
    attemptCount?: number;
    disabled?: boolean;
  },
): AttemptFacts => ({
  claimed: claimedFixture({
    attemptCount: over.attemptCount ?? 0,
    endpoint: { failingSince: over.failingSince ?? null, disabled: over.disabled ?? false },
  }),
  success: false,
  gone: false,
  exhausted: false,
  attemptsMade: (over.attemptCount ?? 0) + 1,
  attemptId: 'atmpt_1',
  statusCode: 500,
  reason: 'http_status',
  now,
  ...over,
});
const types = (d: ReturnType<typeof assessHealth>) => d.events.map((e) => e.type);

describe('assessHealth', () => {
  it('a first success is quiet and clears the failure run', () => {
    const d = assessHealth(facts({ success: true, statusCode: 200 }), 5 * DAY);
    assert.deepEqual(d.endpointUpdate, { endpointId: 'ep_1', failed: false, disable: false, now });
    assert.deepEqual(d.events, []);
  });

  it('a success after failures is message.attempt.recovered', () => {
    const d = assessHealth(facts({ success: true, statusCode: 200, attemptCount: 2 }), 5 * DAY);
    assert.deepEqual(types(d), ['message.attempt.recovered']);
    assert.deepEqual(d.events[0].data, {
      appId: 'app_1',
      msgId: 'msg_1',
      msgEventId: null,
      endpointId: 'ep_1',
      lastAttempt: { id: 'atmpt_1', responseStatusCode: 200, timestamp: new Date(now).toISOString() },
    });
  });

  it('the 4th failed attempt is message.attempt.failing; running out is exhausted', () => {
    assert.deepEqual(types(assessHealth(facts({ attemptCount: 2 }), 5 * DAY)), []);
    assert.deepEqual(types(assessHealth(facts({ attemptCount: 3 }), 5 * DAY)), ['message.attempt.failing']);
    assert.deepEqual(types(assessHealth(facts({ attemptCount: 4 }), 5 * DAY)), []);
    assert.deepEqual(types(assessHealth(facts({ attemptCount: 7, exhausted: true }), 5 * DAY)), [
      'message.attempt.exhausted',
    ]);
  });

  it('message.attempt.exhausted carries the reason and its class: endpoint or platform fault', () => {
    const exhausted = (reason: AttemptFacts['reason'], statusCode: number) =>
      assessHealth(facts({ attemptCount: 7, exhausted: true, reason, statusCode }), 5 * DAY).events[0].data;
    const http = exhausted('http_status', 500);
    assert.deepEqual([http.reason, http.reasonClass], ['http_status', 'endpoint']);
    assert.equal((http.lastAttempt as { responseStatusCode: number }).responseStatusCode, 500);
    const blocked = exhausted('blocked', 0);
    assert.deepEqual([blocked.reason, blocked.reasonClass], ['blocked', 'platform']);
    const timeout = exhausted('timeout', 0);
    assert.deepEqual([timeout.reason, timeout.reasonClass], ['timeout', 'endpoint']);
  });

  it('410 disables the endpoint at once', () => {
    const d = assessHealth(facts({ gone: true, statusCode: 410 }), 5 * DAY);
    assert.equal(d.endpointUpdate.disable, true);
    assert.equal(d.endpointUpdate.failed, true);
    assert.deepEqual(types(d), ['endpoint.disabled']);
    assert.equal(d.events[0].data.trigger, 'automatic');
  });

  it('failing for 5 days disables; 4 days does not; an already disabled endpoint is not disabled twice', () => {
    assert.equal(assessHealth(facts({ failingSince: now - 4 * DAY }), 5 * DAY).endpointUpdate.disable, false);
    const d = assessHealth(facts({ failingSince: now - 5 * DAY }), 5 * DAY);
    assert.equal(d.endpointUpdate.disable, true);
    assert.equal(d.events.at(-1)!.data.failSince, new Date(now - 5 * DAY).toISOString());
    assert.equal(
      assessHealth(facts({ failingSince: now - 6 * DAY, disabled: true }), 5 * DAY).endpointUpdate.disable,
      false,
    );
  });
});
