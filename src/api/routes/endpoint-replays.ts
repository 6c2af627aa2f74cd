import type { FastifyReply } from 'fastify';
import { ValidationError } from '../../errors.js';
import type { BackgroundTaskKind, BulkReplayParams, TaskRange } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { startTask } from '../start-task.js';
import { requireEndpoint } from '../lookup.js';
import { BulkReplayIn, RecoverIn, RecoverOut, ReplayIn, ReplayOut, TaskDryRunOut } from '../schemas/background-task.js';
import { EndpointParams, ERROR_RESPONSES, IdempotencyHeaders, ref } from '../schemas/common.js';

const tags = ['Endpoint'];

/**
 * Recovery and replays of one endpoint, Svix's routes: each starts a background task (a worker
 * runs it in chunks; GET /api/v1/background-task/{id} follows it) and answers 202 with it —
 * or, with `dryRun`, answers 200 with the counts the task would have and starts nothing.
 */
export function endpointReplayRoutes(api: Api, ctx: ApiContext): void {
  const { store } = ctx;
  const base = '/api/v1/app/:app_id/endpoint/:endpoint_id';

  /** [since, until) of a request, checked: not in the future, in order, within the retention window. */
  const rangeOf = (body: { since: string; until?: string | null }, now: number, retention: boolean): TaskRange => {
    const since = Date.parse(body.since);
    const until = body.until ? Date.parse(body.until) : null;
    if (since > now) throw ValidationError.single(['body', 'since'], 'since must not be in the future', 'value_error');
    if (until !== null && until < since)
      throw ValidationError.single(['body', 'until'], 'until must not be before since', 'value_error');
    const days = ctx.environment.retentionDays;
    if (retention && since < now - days * 86_400_000)
      throw ValidationError.single(
        ['body', 'since'],
        `since is before the retention window (${days} days): those messages' payloads may be gone`,
        'value_error',
      );
    return { since, until };
  };

  const start = async (
    reply: FastifyReply,
    params: { app_id: string; endpoint_id: string },
    kind: BackgroundTaskKind,
    taskParams: TaskRange | BulkReplayParams,
    dryRun: boolean | undefined,
  ) => {
    const { app, endpoint } = await requireEndpoint(store, params.app_id, params.endpoint_id);
    if (kind !== 'endpoint.recover' && endpoint.kind !== 'url')
      throw ValidationError.single(
        ['path', 'endpoint_id'],
        'a polling endpoint has no deliveries to replay',
        'value_error',
      );
    return startTask(store, reply, { kind, appId: app.id, endpointId: endpoint.id, params: { ...taskParams } }, dryRun);
  };

  api.post(
    `${base}/recover`,
    {
      config: { capability: 'CreateAttempts' },
      schema: {
        operationId: 'v1.endpoint.recover',
        tags,
        summary: 'Resend every failed delivery since a time',
        description: 'A background task re-queues the failed deliveries created in [since, until); no cap on how many.',
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: ref(RecoverIn),
        response: { 200: ref(TaskDryRunOut), 202: ref(RecoverOut), ...ERROR_RESPONSES },
      },
    },
    (req, reply) => start(reply, req.params, 'endpoint.recover', rangeOf(req.body, Date.now(), false), req.body.dryRun),
  );

  api.post(
    `${base}/replay-missing`,
    {
      config: { capability: 'CreateAttempts' },
      schema: {
        operationId: 'v1.endpoint.replay-missing',
        tags,
        summary: 'Send the messages the endpoint never got',
        description:
          'A background task gives the endpoint a delivery for each message of [since, until) it wants and never had: ' +
          'not the messages from before it existed, nor those its filters leave out.',
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: ref(ReplayIn),
        response: { 200: ref(TaskDryRunOut), 202: ref(ReplayOut), ...ERROR_RESPONSES },
      },
    },
    (req, reply) => start(reply, req.params, 'endpoint.replay', rangeOf(req.body, Date.now(), true), req.body.dryRun),
  );

  api.post(
    `${base}/bulk-replay`,
    {
      config: { capability: 'CreateAttempts' },
      schema: {
        operationId: 'v1.endpoint.bulk-replay',
        tags,
        summary: 'Re-send the deliveries that match filters',
        description:
          "A background task re-queues the endpoint's deliveries of [since, until) in `status` (Default: failed) whose " +
          'message matches the filters; successful deliveries are re-sent only when `status` is 0.',
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: ref(BulkReplayIn),
        response: { 200: ref(TaskDryRunOut), 202: ref(ReplayOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.status != null && b.status !== 0 && b.status !== 2)
        throw ValidationError.single(
          ['body', 'status'],
          'only successful (0) or failed (2) deliveries can be replayed',
          'value_error',
        );
      const params: BulkReplayParams = {
        ...rangeOf(b, Date.now(), true),
        eventTypes: b.eventTypes ?? null,
        channel: b.channel ?? null,
        tag: b.tag ?? null,
        status: b.status ?? null,
        statusCodeClass: b.statusCodeClass ?? null,
      };
      return start(reply, req.params, 'endpoint.bulk-replay', params, b.dryRun);
    },
  );
}
