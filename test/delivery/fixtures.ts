import type { AppId, EndpointId, MessageId } from '../../src/ids.js';
import type { Endpoint } from '../../src/domain/model.js';
import type { ClaimedDelivery } from '../../src/store/store.js';

/** A ClaimedDelivery for pure unit tests (builder, classify); worker tests use a real store. */
export function claimedFixture(
  overrides: { endpoint?: Partial<Endpoint>; payload?: string | null; attemptCount?: number } = {},
): ClaimedDelivery {
  const now = Date.UTC(2024, 0, 2, 3, 4, 5);
  const endpoint: Endpoint = {
    id: 'ep_1' as EndpointId,
    appId: 'app_1' as AppId,
    uid: null,
    kind: 'url',
    url: 'http://127.0.0.1:9/hook',
    description: '',
    version: 1,
    filterTypes: null,
    channels: null,
    rateLimit: null,
    disabled: false,
    metadata: {},
    headers: {},
    format: 'standard',
    cloudEventsHandshake: false,
    svixHeaders: null,
    ordered: false,
    secrets: [{ key: 'whsec_' + Buffer.alloc(24, 7).toString('base64'), expiresAt: null }],
    failingSince: null,
    createdAt: now,
    updatedAt: now,
    ...overrides.endpoint,
  };
  return {
    delivery: {
      id: 'dlv_1',
      appId: 'app_1' as AppId,
      msgId: 'msg_1' as MessageId,
      endpointId: endpoint.id,
      status: 3,
      attemptCount: overrides.attemptCount ?? 0,
      nextAttemptAt: now,
      lastAttemptAt: null,
      createdAt: now,
      updatedAt: now,
    },
    triggerType: 0,
    message: {
      id: 'msg_1' as MessageId,
      eventType: 'user.created',
      eventId: null,
      channels: null,
      createdAt: now,
      payload: overrides.payload === undefined ? '{"type":"user.created","data":{"id":1}}' : overrides.payload,
    },
    endpoint,
  };
}
