import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { claimRounds, planClaim, type ClaimRound, type DueWork } from './claim-planner.js';

test('one endpoint gets the batch up to its free slots', () => {
  const plan = planClaim([{ endpointId: 'a', dueAt: 1 }], new Map([['a', 10]]), 256, 32);
  assert.deepEqual([...plan], [['a', 22]]);
});

test('the batch is shared evenly, and an endpoint at its cap gets nothing', () => {
  const heads = [
    { endpointId: 'a', dueAt: 3 },
    { endpointId: 'b', dueAt: 1 },
    { endpointId: 'c', dueAt: 2 },
  ];
  const plan = planClaim(heads, new Map([['c', 32]]), 40, 32);
  assert.equal(plan.get('a'), 20);
  assert.equal(plan.get('b'), 20);
  assert.equal(plan.has('c'), false);
});

test('more endpoints than rows: the oldest heads are served first, one each', () => {
  const heads = Array.from({ length: 1000 }, (_, i) => ({ endpointId: `e${i}`, dueAt: 1000 - i }));
  const plan = planClaim(heads, new Map(), 256, 32);
  assert.equal(
    [...plan.values()].reduce((a, b) => a + b, 0),
    256,
  );
  assert.ok([...plan.values()].every((n) => n === 1));
  assert.ok(plan.has('e999') && !plan.has('e0'), 'oldest due first');
});

test('leftover room is handed out again until the batch or every endpoint is full', () => {
  const heads = [
    { endpointId: 'a', dueAt: 1 },
    { endpointId: 'b', dueAt: 2 },
  ];
  const plan = planClaim(heads, new Map([['a', 30]]), 100, 32);
  assert.equal(plan.get('a'), 2);
  assert.equal(plan.get('b'), 32);
});

describe('claimRounds', () => {
  /** Runs the rounds against endpoints holding `rows[ep]` due rows; returns each round the adapter was asked for. */
  function drive(
    due: DueWork,
    rows: Record<string, number>,
    limit: number,
    perEndpointLimit: number,
    settling?: Map<string, number>,
  ): ClaimRound[] {
    const seen: ClaimRound[] = [];
    const left = new Map(Object.entries(rows));
    const rounds = claimRounds(due, limit, perEndpointLimit, settling);
    for (let r = rounds.next(); !r.done;) {
      seen.push(r.value);
      const got = new Map<string, number>();
      for (const [ep, n] of r.value.plan) {
        const k = Math.min(n, left.get(ep) ?? 0);
        left.set(ep, (left.get(ep) ?? 0) - k);
        got.set(ep, k);
      }
      r = rounds.next(got);
    }
    return seen;
  }

  it('takes expired leases first while their endpoint is under the cap, in the first round only', () => {
    const due: DueWork = {
      inFlight: new Map([['full', 2]]),
      expired: [
        { id: 'x1', endpointId: 'full' },
        { id: 'x2', endpointId: 'a' },
      ],
      heads: [{ endpointId: 'a', dueAt: 1 }],
    };
    const rounds = drive(due, { a: 10 }, 10, 2);
    assert.deepEqual(rounds[0].expired, ['x2']);
    assert.deepEqual([...rounds[0].plan], [['a', 1]], 'the expired lease counts against the cap');
    assert.equal(rounds.length, 1, 'a full endpoint gets no second round');
  });

  it('plans again for the endpoints that filled their share, and stops when the batch is full', () => {
    const due: DueWork = {
      inFlight: new Map(),
      expired: [],
      heads: [
        { endpointId: 'short', dueAt: 1 },
        { endpointId: 'deep', dueAt: 2 },
      ],
    };
    const rounds = drive(due, { short: 1, deep: 100 }, 10, 100);
    assert.deepEqual(
      [...rounds[0].plan],
      [
        ['short', 5],
        ['deep', 5],
      ],
    );
    assert.deepEqual([...rounds[1].plan], [['deep', 4]], 'the room short left goes to deep');
    assert.equal(rounds.length, 2);
  });

  it("does not count the claimer's settling rows (request over, outcome not yet committed) against the cap", () => {
    const due = (): DueWork => ({
      inFlight: new Map([
        ['a', 8],
        ['b', 8],
      ]),
      expired: [],
      heads: [
        { endpointId: 'a', dueAt: 1 },
        { endpointId: 'b', dueAt: 2 },
      ],
    });
    assert.deepEqual(drive(due(), { a: 100, b: 100 }, 100, 8), [], 'both endpoints at the cap');
    const rounds = drive(
      due(),
      { a: 100, b: 100 },
      100,
      8,
      new Map([
        ['a', 3],
        ['b', 20],
        ['gone', 5],
      ]),
    );
    assert.deepEqual(
      [...rounds[0].plan],
      [
        ['a', 3],
        ['b', 8],
      ],
      'a settling count beyond the leases frees the whole cap, never more',
    );
  });

  it('asks for nothing when nothing is due', () => {
    assert.deepEqual(drive({ inFlight: new Map(), expired: [], heads: [] }, {}, 10, 5), []);
  });
});
