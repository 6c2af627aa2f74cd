import { generateSecret } from '../../src/domain/endpoint-secret.js';
import { testConfig } from '../../src/config.js';
import { processCpuSeconds, startCpuMeter } from '../lib/cpu-meter.js';
import { fsyncsPerSecond } from '../lib/disk-probe.js';
import { sharedChild, withReceiver, type Scenario } from '../lib/scenario.js';

/**
 * (1) The yardstick: signed keep-alive POSTs from a bare undici Pool to the same receiver, no
 * storage, at the engine's per-endpoint concurrency (the cap a one-endpoint drain runs at).
 * Beside it, the disk's fsync rate at the same moment (SQLite FULL pays one per commit).
 */
export const ENGINE_CONCURRENCY = testConfig().endpointConcurrency;

export const rawLimit: Scenario = {
  name: 'raw',
  usesStore: false,
  async run(ctx) {
    return withReceiver(async (receiver) => {
      const sender = await sharedChild('raw-sender.ts');
      {
        const args = {
          origin: receiver.origin,
          path: '/g/raw/',
          secret: generateSecret(),
          concurrency: ENGINE_CONCURRENCY,
        };
        await sender.call('run', { ...args, count: 2000, maxMs: 1000 }); // warm-up: connections, JIT
        const cpu = startCpuMeter({
          sender: () => processCpuSeconds(sender.pid),
          receiver: () => processCpuSeconds(receiver.child.pid),
        });
        const r = await sender.call<{ ok: number; failed: number; perSecond: number }>('run', {
          ...args,
          count: ctx.quick ? 40_000 : 150_000,
          maxMs: ctx.quick ? 2000 : 10_000,
        });
        const cpuFigures = cpu.stop(r.ok);
        if (r.failed > 0) ctx.log(`raw: ${r.failed} requests failed`);
        return { rps: r.perSecond, fsyncPerSecond: fsyncsPerSecond(), ...cpuFigures };
      }
    });
  },
};
