import {
  ROOT_CONTEXT,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C Trace Context in the two forms Hookrelay carries it: request headers (`traceparent`,
 * `tracestate`) and the `traceparent` stored with a message (Message.traceContext), which is
 * how a delivery attempt in another process continues the trace its message was accepted in.
 */

const w3c = new W3CTraceContextPropagator();

/** The remote parent named by `carrier.traceparent` (and `tracestate`); ROOT_CONTEXT when absent or malformed. */
export function parentContext(carrier: Record<string, unknown>): Context {
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** The `traceparent` that names `span` as the parent; null for an invalid span context. */
export function traceparentOf(span: SpanContext): string | null {
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpanContext(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}
