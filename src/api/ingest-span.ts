import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import type { Message } from '../domain/model.js';
import { parentContext, traceparentOf } from '../domain/trace-context.js';
import { HookrelayError } from '../errors.js';
import type { NewMessage } from '../store/store.js';
import type { Outbox } from '../outbox/outbox.js';
import { submitMessage } from './message-input.js';

/** Seen by trace backends as the route (the Svix operation ID is v1.message.create). */
const ROUTE = '/api/v1/app/{app_id}/msg';

/**
 * submitMessage inside an ingest span (HOOKRELAY_TRACING=otlp): a child of the request's
 * `traceparent` when it has one, else a new trace. The span's own traceparent is stored with
 * the message, so every delivery attempt — in whichever process claims it — is its child.
 */
export async function submitTraced(
  tracer: Tracer,
  headers: Record<string, unknown>,
  outbox: Outbox,
  input: NewMessage,
): Promise<Message> {
  const span = tracer.startSpan(
    'message.create',
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: 'POST',
        [ATTR_HTTP_ROUTE]: ROUTE,
        'hookrelay.app_id': input.appId,
        'hookrelay.message_id': input.id,
        'hookrelay.event_type': input.eventType,
      },
    },
    parentContext(headers),
  );
  input.traceContext = traceparentOf(span.spanContext());
  try {
    const message = await submitMessage(outbox, input);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 202);
    return message;
  } catch (err) {
    const status = err instanceof HookrelayError ? err.status : 500;
    span.setAttributes({
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
      [ATTR_ERROR_TYPE]: err instanceof HookrelayError ? err.code : 'internal',
    });
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}
