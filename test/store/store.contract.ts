import { afterEach, beforeEach, describe } from 'node:test';
import { basicsContract } from './contract/basics.contract.js';
import { deliveryContract } from './contract/delivery.contract.js';
import { queueControlContract } from './contract/queue-control.contract.js';
import { endpointsContract } from './contract/endpoints.contract.js';
import type { OpenStore, StoreHarness } from './contract/fixtures.js';
import { jobRunsContract } from './contract/job-runs.contract.js';
import { listenLogContract } from './contract/listen-log.contract.js';
import { ingestClaimContract } from './contract/ingest-claim.contract.js';
import { backgroundTasksContract } from './contract/background-tasks.contract.js';
import { replayTasksContract } from './contract/replay-tasks.contract.js';
import { deadLettersContract } from './contract/dead-letters.contract.js';
import { usageContract } from './contract/usage.contract.js';
import { orderingContract } from './contract/ordering.contract.js';
import { messagesContract } from './contract/messages.contract.js';
import { pullContract } from './contract/pull.contract.js';
import { operatorContract } from './contract/operator.contract.js';
import { rateBudgetsContract } from './contract/rate-budgets.contract.js';
import { statsContract } from './contract/stats.contract.js';
import { tokensContract } from './contract/tokens.contract.js';
import { viewsContract } from './contract/views.contract.js';
import type { Store } from '../../src/store/store.js';

export type { OpenStore, StoreHarness } from './contract/fixtures.js';

/**
 * The one contract every Store adapter passes (graphile-worker / Kysely style: one suite, every
 * real database). `open` returns a fresh, migrated, empty store for each test. Dialect-neutral:
 * no SQL here; a store-specific read of the stored secrets comes in through the harness.
 */
export function runStoreContract(label: string, open: OpenStore, capabilities: { ingestHandOff: boolean }): void {
  describe(`Store contract: ${label}`, () => {
    let harness: StoreHarness | undefined;
    const store = (): Store => {
      if (!harness) throw new Error('store not open');
      return harness.store;
    };
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => {
      const h = harness;
      harness = undefined;
      await h?.cleanup();
    });

    describe('settings, applications, event types, tokens, idempotency', () => basicsContract(store));
    describe('tokens, portal sessions and login keys', () => tokensContract(store));
    describe('endpoints and secrets', () => endpointsContract(store, () => harness!));
    describe('messages and the outbox', () => messagesContract(store));
    describe('pull: the log after a seq, consumer offsets', () => pullContract(store));
    describe('delivery engine', () => deliveryContract(store));
    describe('queue control: release, next due, resend, recover', () => queueControlContract(store));
    describe('ingest claiming for the worker', () => ingestClaimContract(store, capabilities.ingestHandOff));
    describe('attempts, views, stats, retention, deletes', () => viewsContract(store));
    describe('attempt statistics and deliveries per minute', () => statsContract(store));
    describe('operator views: totals, app health, failing endpoints, app search', () => operatorContract(store));
    describe('shared rate budgets', () => rateBudgetsContract(store));
    describe('periodic job runs', () => jobRunsContract(store));
    describe('listen channels', () => listenLogContract(store));
    describe('background tasks', () => backgroundTasksContract(store));
    describe('replay tasks: bulk-replay, replay-missing', () => replayTasksContract(store));
    describe('dead letters', () => deadLettersContract(store));
    describe('usage metering', () => usageContract(store));
    describe('ordered delivery per key', () => orderingContract(store));
  });
}
