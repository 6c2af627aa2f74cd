import { SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import { parentContext, traceparentOf } from '../domain/trace-context.js';
import { coerceError } from '../errors.js';
import type { ClaimedDelivery } from '../store/store.js';
import type { Classification } from './classify.js';

/**
 * The span of one delivery attempt (HOOKRELAY_TRACING=otlp): a child of the span that accepted
 * its message (the traceparent stored with it, Message.traceContext), so a trace runs from the
 * producer's request through every attempt whichever worker process makes it. A message stored
 * without one (tracing was off, or an operational webhook) starts a trace of its own.
 */

/** What became of the delivery after this attempt. */
export type AttemptOutcome = 'success' | 'retry' | 'exhausted';

export function startAttemptSpan(tracer: Tracer, c: ClaimedDelivery): Span {
  const parent = c.message.traceContext ? parentContext({ traceparent: c.message.traceContext }) : undefined;
  return tracer.startSpan(
    'message.attempt',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: 'POST',
        'hookrelay.app_id': c.delivery.appId,
        'hookrelay.endpoint_id': c.endpoint.id,
        'hookrelay.message_id': c.message.id,
        'hookrelay.delivery_id': c.delivery.id,
        'hookrelay.attempt': c.delivery.attemptCount + 1,
        'hookrelay.trigger': c.triggerType === 1 ? 'manual' : 'scheduled',
      },
    },
    parent,
  );
}

/** The request's headers get the attempt's `traceparent` (HOOKRELAY_TRACEPARENT_TO_RECEIVER). */
export function addTraceparent(headers: Record<string, string>, span: Span): void {
  const traceparent = traceparentOf(span.spanContext());
  if (traceparent) headers.traceparent = traceparent;
}

export function endAttemptSpan(span: Span, result: Classification, outcome: AttemptOutcome): void {
  span.setAttribute('hookrelay.outcome', outcome);
  if (result.statusCode > 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.statusCode);
  if (!result.success) {
    // A receiver's status, else the network reason ('timeout', 'blocked: …') up to its first colon.
    span.setAttribute(
      ATTR_ERROR_TYPE,
      result.statusCode > 0 ? String(result.statusCode) : result.response.split(':')[0],
    );
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** An unexpected error (a bug) ended the attempt; deliver-one defers the row. */
export function failAttemptSpan(span: Span, err: unknown): void {
  span.recordException(coerceError(err));
  span.setAttributes({ 'hookrelay.outcome': 'deferred', [ATTR_ERROR_TYPE]: 'internal' });
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
