import type { Span, Tracer } from '@opentelemetry/api';
import type { Config } from '../config.js';
import { failureReasonOf, type FailureReason } from '../domain/failure-reason.js';
import { DeliveryStatus } from '../domain/model.js';
import { coerceError } from '../errors.js';
import { newId } from '../ids.js';
import type { ClaimedDelivery, DeliveryOutcome } from '../store/store.js';
import { addTraceparent, endAttemptSpan, failAttemptSpan, startAttemptSpan } from './attempt-span.js';
import { classify, type Classification } from './classify.js';
import type { CloudEventsHandshake } from './cloudevents-handshake.js';
import { assessHealth, type HealthReporter } from './endpoint-health.js';
import { countDeliveries, countEndpointAttempt, deliveryDuration } from './metrics.js';
import type { OutcomeWriter } from './outcome-writer.js';
import { RateLimiter } from './rate-limiter.js';
import { buildRequest, PayloadExpiredError } from './request-builder.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Sender } from './sender.js';
import { checkUrlLiteral } from './ssrf-guard.js';

/**
 * One claimed delivery, start to end: rate limit → (CloudEvents handshake) → build and sign →
 * send → classify → schedule → hand the outcome to the group-commit writer → report endpoint
 * health once committed. Never throws: receiver faults are outcomes, and an unexpected error
 * (a bug) is logged and the row deferred, so it cannot take the loop down or spin.
 */

export interface DeliveryContext {
  owner: string;
  config: Config;
  clock: { now(): number };
  sender: Sender;
  writer: OutcomeWriter;
  policy: RetryPolicy;
  rateLimiter: RateLimiter;
  handshake: CloudEventsHandshake;
  health: HealthReporter;
  log: {
    error(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
    debug(obj: object, msg: string): void;
  };
  /** A span per attempt when tracing is on (attempt-span.ts); null: none. */
  tracer?: Tracer | null;
  /** Set at shutdown: results that arrive later are dropped (their rows were released). */
  stopped?: boolean;
}

/** After an unexpected error, look at the row again this much later. */
const BUG_DEFER_MS = 60_000;

function failure(reason: FailureReason, statusCode: number, response: string, durationMs = 0): Classification {
  return { success: false, statusCode, response, durationMs, disableEndpoint: false, retryAfterMs: null, reason };
}

async function attempt(
  ctx: DeliveryContext,
  c: ClaimedDelivery,
  now: number,
  span: Span | null,
): Promise<Classification> {
  const literal = checkUrlLiteral(c.endpoint.url, ctx.config.allowNetworks);
  if (!literal.ok) return failure('blocked', 0, `blocked: ${literal.reason}`);
  let req;
  try {
    req = buildRequest(c, { now, svixHeadersDefault: ctx.config.svixHeaders });
  } catch (err) {
    if (err instanceof PayloadExpiredError) return { ...failure('payload_expired', 0, err.message), permanent: true };
    throw err;
  }
  if (span && ctx.config.traceparentToReceiver) addTraceparent(req.headers, span);
  if (c.endpoint.cloudEventsHandshake) {
    const hs = await ctx.handshake.ensure(c.endpoint);
    if (!hs.ok) return failure(failureReasonOf(hs.statusCode, hs.reason), hs.statusCode, hs.reason, hs.durationMs);
  }
  return classify(await ctx.sender.send(req), ctx.clock.now());
}

export async function deliverOne(ctx: DeliveryContext, c: ClaimedDelivery): Promise<void> {
  const base = { deliveryId: c.delivery.id, owner: ctx.owner };
  let span: Span | null = null;
  try {
    const now = ctx.clock.now();
    if (c.endpoint.disabled) {
      // Disabled after the row was queued: nothing is sent; `recover` can queue it again.
      void write(ctx, { ...base, next: { kind: 'fail', reason: 'endpoint_disabled' } });
      return;
    }
    // Only endpoints with a limit ask the store for a token; the others never wait for it.
    if (RateLimiter.limits(c.endpoint.rateLimit)) {
      const deferTo = await ctx.rateLimiter.take(c.endpoint.id, c.endpoint.rateLimit);
      if (deferTo !== null) {
        countDeliveries('deferred');
        void write(ctx, { ...base, next: { kind: 'defer', at: deferTo } });
        return;
      }
    }

    span = ctx.tracer ? startAttemptSpan(ctx.tracer, c) : null;
    const result = await attempt(ctx, c, now, span);
    const done = ctx.clock.now();
    const attemptsMade = c.delivery.attemptCount + 1;
    let next: DeliveryOutcome['next'];
    let exhausted = false;
    if (result.success) {
      next = { kind: 'success' };
    } else {
      const decision =
        result.disableEndpoint || result.permanent
          ? { kind: 'exhausted' as const }
          : ctx.policy.next(attemptsMade, done, result.retryAfterMs);
      exhausted = decision.kind === 'exhausted';
      next =
        decision.kind === 'retry'
          ? { kind: 'retry', at: decision.at }
          : { kind: 'fail', reason: result.reason ?? 'connection' };
    }
    if (span) endAttemptSpan(span, result, result.success ? 'success' : exhausted ? 'exhausted' : 'retry');
    span = null; // ended: an error past this point is not the attempt's
    const attemptId = newId('attempt', done);
    const health = assessHealth(
      {
        claimed: c,
        success: result.success,
        gone: result.disableEndpoint,
        exhausted,
        attemptsMade,
        attemptId,
        statusCode: result.statusCode,
        reason: result.reason,
        now: done,
      },
      ctx.config.disableAfterFailingMs,
    );

    countDeliveries(result.success ? 'success' : exhausted ? 'exhausted' : 'retry');
    if (countEndpointAttempt(c.delivery.appId, c.delivery.endpointId, result.success ? 'success' : 'failure')) {
      ctx.log.info(
        { limit: ctx.config.metricsEndpointLabels },
        'metrics: more endpoints than HOOKRELAY_METRICS_ENDPOINT_LABELS; the rest are counted as "_other"',
      );
    }
    if (!result.success) logFailedAttempt(ctx, c, attemptsMade, result, next);
    deliveryDuration.observe(result.durationMs / 1000);

    const committed = write(ctx, {
      ...base,
      attempt: {
        id: attemptId,
        url: c.endpoint.url,
        status: result.success ? DeliveryStatus.Success : DeliveryStatus.Fail,
        responseStatusCode: result.statusCode,
        response: result.response,
        responseDurationMs: result.durationMs,
        triggerType: c.triggerType,
        now: done,
      },
      next,
      endpointUpdate: health.endpointUpdate,
      ...(c.endpoint.ordered ? { ordered: true } : {}),
    });
    // The slot is free once the outcome is queued; operational webhooks follow the commit.
    if (health.events.length > 0) void committed.then(() => ctx.health.report(health.events, done));
  } catch (err) {
    if (span) failAttemptSpan(span, err);
    ctx.log.error(
      { err: coerceError(err), deliveryId: c.delivery.id },
      'unexpected error delivering; deferring the row',
    );
    await write(ctx, { ...base, next: { kind: 'defer', at: ctx.clock.now() + BUG_DEFER_MS } }).catch(() => {});
  }
}

/** Longest receiver answer or error text quoted in the failed-attempt log line. */
const REASON_CHARS = 200;

/** One line per failed attempt at info: what an operator greps for when a customer says "nothing arrives". */
function logFailedAttempt(
  ctx: DeliveryContext,
  c: ClaimedDelivery,
  attempt: number,
  result: Classification,
  next: DeliveryOutcome['next'],
): void {
  ctx.log.info(
    {
      appId: c.delivery.appId,
      endpointId: c.delivery.endpointId,
      msgId: c.delivery.msgId,
      url: c.endpoint.url,
      attempt,
      statusCode: result.statusCode,
      reason: result.response.length > REASON_CHARS ? result.response.slice(0, REASON_CHARS) + '…' : result.response,
      nextAttemptAt: next.kind === 'retry' ? new Date(next.at).toISOString() : null,
    },
    next.kind === 'retry' ? 'delivery attempt failed; will retry' : 'delivery attempt failed; no attempts left',
  );
}

function write(ctx: DeliveryContext, outcome: DeliveryOutcome): Promise<void> {
  if (ctx.stopped) return Promise.resolve();
  return ctx.writer.add(outcome);
}
