import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AGGREGATIONS, type Aggregation, type Meter, type UsageEvent } from '../../../src/domain/usage.js';
import type { Store } from '../../../src/store/store.js';
import { UsageRoller } from '../../../src/usage/usage-roller.js';
import { T0, pq } from './fixtures.js';

const HOUR = 3_600_000;

/** Usage metering: events stored once per (source, id); meters kept; queries exact against values computed here. */
export function usageContract(s: () => Store): void {
  const meter = (key: string, aggregation: Aggregation, over: Partial<Meter> = {}): Meter => ({
    key,
    name: key,
    eventType: 'tokens.used',
    aggregation,
    valueProperty: aggregation === 'count' ? null : aggregation === 'unique_count' ? '$.user' : '$.tokens',
    groupBy: { region: '$.region' },
    filter: { '$.tier': 'pro' },
    report: null,
    thresholds: [],
    createdAt: T0,
    updatedAt: T0,
    ...over,
  });

  it('stores each event once per (source, id): a batch sent again is new only where it is new', async () => {
    const ev = (id: string): UsageEvent => ({
      source: 'api',
      id,
      type: 'x.y',
      subject: 'acme',
      time: T0,
      data: { n: 1 },
    });
    const first = await s().recordUsageEvents([ev('e1'), ev('e2'), ev('e3')], T0);
    assert.equal(first.length, 3);
    const again = await s().recordUsageEvents([ev('e2'), ev('e4'), ev('e3'), { ...ev('e1'), source: 'cli' }], T0);
    assert.deepEqual(again.sort(), ['api\u0000e4', 'cli\u0000e1']);
  });

  it('keeps meters: create (a taken key refused), get, list, change name/groups/filter, delete', async () => {
    const m = meter('crud-meter', 'sum');
    assert.deepEqual(await s().createMeter(m), m);
    assert.equal(await s().createMeter({ ...m, name: 'other' }), null, 'the key is taken');
    assert.deepEqual(await s().getMeter('crud-meter'), m);
    assert.ok((await s().listMeters(pq(250))).data.some((x) => x.key === 'crud-meter'));
    const changed = await s().updateMeter('crud-meter', { name: 'Tokens', filter: {} }, T0 + 5);
    assert.deepEqual(
      [changed?.name, changed?.filter, changed?.groupBy, changed?.updatedAt],
      ['Tokens', {}, m.groupBy, T0 + 5],
    );
    assert.equal(await s().deleteMeter('crud-meter'), true);
    assert.equal(await s().getMeter('crud-meter'), null);
    assert.equal(await s().deleteMeter('crud-meter'), false);
  });

  it('answers every aggregation exactly, per hour, subject and group, with the filter applied', async () => {
    // 600 events over 3 subjects and 4 hours, written out of time order, some with no number.
    let seed = 7; // mulberry32: a fixed, well-mixed sequence
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
    };
    const base = T0 + 100 * HOUR;
    const events: UsageEvent[] = Array.from({ length: 600 }, (_, i) => ({
      source: 'meter-test',
      id: `q${i}`,
      type: i % 10 === 9 ? 'other.type' : 'tokens.used',
      subject: `cust-${rand(3)}`,
      time: base + rand(4 * HOUR),
      data: {
        tokens: i % 17 === 0 ? 'n/a' : rand(1000) / 4,
        region: rand(2) === 0 ? 'eu' : 'us',
        user: `u${rand(25)}`,
        tier: rand(4) === 0 ? 'free' : 'pro',
      },
    }));
    for (let i = events.length; i > 0; i -= 150) await s().recordUsageEvents(events.slice(Math.max(0, i - 150), i), T0);

    const counted = events.filter((e) => e.type === 'tokens.used' && (e.data as { tier: string }).tier === 'pro');
    for (const aggregation of AGGREGATIONS) {
      const m = meter(`q-${aggregation}`, aggregation);
      const rows = await s().queryMeter(m, {
        from: base,
        to: base + 4 * HOUR,
        subject: null,
        windowSize: 'hour',
        groupBy: ['region'],
      });
      const expected = new Map<string, UsageEvent[]>();
      for (const e of counted) {
        const w = base + Math.floor((e.time - base) / HOUR) * HOUR;
        const k = `${w}|${e.subject}|${(e.data as { region: string }).region}`;
        expected.set(k, [...(expected.get(k) ?? []), e]);
      }
      const value = (es: UsageEvent[]): number | null => {
        const nums = es
          .map((e) => (e.data as { tokens: unknown }).tokens)
          .filter((t): t is number => typeof t === 'number');
        if (aggregation === 'count') return es.length;
        if (aggregation === 'unique_count') return new Set(es.map((e) => (e.data as { user: string }).user)).size;
        if (aggregation === 'last') {
          const latest = [...es].sort((a, b) => b.time - a.time || (b.id < a.id ? -1 : 1))[0];
          const t = (latest.data as { tokens: unknown }).tokens;
          return typeof t === 'number' ? t : null;
        }
        if (nums.length === 0) return null;
        return aggregation === 'sum' ? nums.reduce((a, b) => a + b, 0) : Math.max(...nums);
      };
      assert.equal(rows.length, expected.size, `${aggregation}: one row per window, subject and region`);
      for (const r of rows) {
        const es = expected.get(`${r.windowStart}|${r.subject}|${r.groupBy.region}`);
        assert.ok(es, `${aggregation}: no events for ${JSON.stringify(r)}`);
        assert.equal(r.windowEnd, r.windowStart + HOUR);
        assert.equal(r.value, value(es), `${aggregation} of ${r.subject} ${r.groupBy.region} at ${r.windowStart}`);
      }
    }

    // One subject, one window, no groups: the total of that subject's counted events.
    const total = await s().queryMeter(meter('q-total', 'count'), {
      from: base,
      to: base + 4 * HOUR,
      subject: 'cust-1',
      windowSize: null,
      groupBy: [],
    });
    assert.deepEqual(total, [
      {
        windowStart: base,
        windowEnd: base + 4 * HOUR,
        subject: 'cust-1',
        groupBy: {},
        value: counted.filter((e) => e.subject === 'cust-1').length,
      },
    ]);
  });

  it('answers from hourly rollups exactly what the events answer: before and after rolling, with a partial hour, after a late event', async () => {
    const base = T0 + 300 * HOUR;
    const rnd = (i: number, n: number) => (i * 7919 + 13) % n;
    const events: UsageEvent[] = Array.from({ length: 400 }, (_, i) => ({
      source: 'rollup-test',
      id: `r${i}`,
      type: 'rolled.tokens',
      subject: `cust-${rnd(i, 3)}`,
      time: base + rnd(i * 31, 5 * HOUR),
      data: {
        tokens: i % 13 === 0 ? 'n/a' : rnd(i, 997) / 4,
        region: i % 3 ? 'eu' : 'us',
        tier: i % 5 ? 'pro' : 'free',
      },
    }));
    await s().recordUsageEvents(events, T0);
    const kinds = ['count', 'sum', 'max', 'last'] as const;
    for (const a of kinds)
      await s().createMeter(
        meter(`rolled-${a}`, a, { eventType: 'rolled.tokens', valueProperty: a === 'count' ? null : '$.tokens' }),
      );
    const queries = [
      { from: base, to: base + 5 * HOUR, subject: null, windowSize: 'hour' as const, groupBy: ['region'] },
      { from: base, to: base + 4 * HOUR + 1234, subject: 'cust-1', windowSize: null, groupBy: [] },
      { from: base + 1_800_000, to: base + 5 * HOUR, subject: null, windowSize: null, groupBy: ['region'] },
      { from: base, to: base + 5 * HOUR, subject: null, windowSize: 'day' as const, groupBy: [] },
    ];
    // A meter the store does not hold has no rollups: its answer is read from the events.
    const fromEvents = (m: Meter, q: (typeof queries)[number]) => s().queryMeter({ ...m, key: `${m.key}-events` }, q);
    const same = async (label: string) => {
      for (const a of kinds) {
        const m = (await s().getMeter(`rolled-${a}`))!;
        for (const q of queries)
          assert.deepEqual(await s().queryMeter(m, q), await fromEvents(m, q), `${label}: ${a} ${JSON.stringify(q)}`);
      }
    };
    await same('before any rollup');
    let now = base + 4 * HOUR + 30 * 60_000; // hours 0–3 end before now: rolled; hour 4 is read from events
    const roller = new UsageRoller(s(), { now: () => now });
    await roller.run(await s().meterStates());
    const state = (await s().meterStates()).find((m) => m.key === 'rolled-sum')!;
    assert.deepEqual([state.rolledFrom, state.rolledThrough], [base, base + 4 * HOUR]);
    await same('rolled up');
    await s().recordUsageEvents(
      [
        {
          source: 'rollup-test',
          id: 'late',
          type: 'rolled.tokens',
          subject: 'cust-1',
          time: base + HOUR + 5,
          data: { tokens: 1000, region: 'eu', tier: 'pro' },
        },
      ],
      now + 1,
    );
    await same('a late event not yet folded in');
    now += 60_000;
    await roller.run(await s().meterStates());
    await same('the late event folded in');
    await s().updateMeter('rolled-sum', { filter: {} }, now);
    assert.equal(
      (await s().meterStates()).find((m) => m.key === 'rolled-sum')!.rolledThrough,
      null,
      'a new filter drops the rollups',
    );
    await same('after the filter changed');
  });
}
