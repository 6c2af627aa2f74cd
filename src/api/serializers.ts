import type { Application, Attempt, Delivery, DeliveryStatus, Endpoint, EventType, Message } from '../domain/model.js';
import type { BackgroundTask, DeliveryView } from '../store/store.js';
import { messageOut } from '../domain/message-out.js';
import { iso } from '../domain/iso-time.js';

/** Domain records → JSON in Svix's shapes. Times become ISO strings; nothing secret leaves here. */

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

const STATUS_TEXT = ['success', 'pending', 'fail', 'sending', 'canceled'] as const;
export const statusText = (s: DeliveryStatus | number) => STATUS_TEXT[s] ?? 'pending';

export function applicationOut(app: Application) {
  return {
    id: app.id,
    uid: app.uid,
    name: app.name,
    rateLimit: app.rateLimit,
    throttleRate: app.rateLimit,
    metadata: app.metadata,
    createdAt: iso(app.createdAt),
    updatedAt: iso(app.updatedAt),
  };
}

export function eventTypeOut(et: EventType) {
  return {
    name: et.name,
    description: et.description,
    schemas: et.schemas as Record<string, Record<string, unknown>> | null,
    archived: et.archived,
    deprecated: et.deprecated,
    featureFlag: et.featureFlag,
    createdAt: iso(et.createdAt),
    updatedAt: iso(et.updatedAt),
  };
}

function endpointCore(ep: Endpoint) {
  return {
    id: ep.id,
    uid: ep.uid,
    url: ep.url,
    description: ep.description,
    version: ep.version,
    filterTypes: ep.filterTypes,
    channels: ep.channels,
    rateLimit: ep.rateLimit,
    throttleRate: ep.rateLimit,
    disabled: ep.disabled,
    metadata: ep.metadata,
    createdAt: iso(ep.createdAt),
    updatedAt: iso(ep.updatedAt),
  };
}

export function endpointOut(ep: Endpoint) {
  return {
    ...endpointCore(ep),
    kind: ep.kind,
    format: ep.format,
    cloudEventsHandshake: ep.cloudEventsHandshake,
    ordered: ep.ordered,
    svixHeaders: ep.svixHeaders,
  };
}

function nextAttempt(d: Delivery): string | null {
  return d.status === 1 || d.status === 3 ? isoOrNull(d.nextAttemptAt) : null;
}

export function endpointMessageOut(view: DeliveryView, withContent = true) {
  return {
    ...messageOut(view.message, withContent),
    status: view.delivery.status as number,
    statusText: statusText(view.delivery.status),
    nextAttempt: nextAttempt(view.delivery),
  };
}

export function messageEndpointOut(view: DeliveryView) {
  return {
    ...endpointCore(view.endpoint),
    status: view.delivery.status as number,
    statusText: statusText(view.delivery.status),
    nextAttempt: nextAttempt(view.delivery),
  };
}

export function attemptOut(a: Attempt, opts: { withContent?: boolean; msg?: Message | null } = {}) {
  const withContent = opts.withContent ?? true;
  return {
    id: a.id,
    msgId: a.msgId,
    endpointId: a.endpointId,
    url: a.url,
    response: withContent ? a.response : '',
    responseStatusCode: a.responseStatusCode,
    responseDurationMs: a.responseDurationMs,
    status: a.status as number,
    statusText: statusText(a.status),
    triggerType: a.triggerType as number,
    timestamp: iso(a.createdAt),
    ...(opts.msg !== undefined ? { msg: opts.msg ? messageOut(opts.msg, withContent) : null } : {}),
  };
}

export function backgroundTaskOut(t: BackgroundTask) {
  return { id: t.id, status: t.status, task: t.kind, data: { ...t.data }, updatedAt: iso(t.updatedAt) };
}
