import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../errors.js';
import type { DeadLetterSelection } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { startTask } from '../start-task.js';
import { requireApp, requireEndpoint } from '../lookup.js';
import { idIterator, pageQuery } from '../pagination.js';
import { ReplayOut, TaskDryRunOut } from '../schemas/background-task.js';
import { ERROR_RESPONSES, PageQuerySchema, ref } from '../schemas/common.js';
import {
  DeadLetterCountsOut,
  DeadLetterQuery,
  DeadLetterResendIn,
  ListResponseDeadLetterOut,
} from '../schemas/dead-letter.js';
import { iso } from '../../domain/iso-time.js';
import { queryTime } from '../time-range.js';

const tags = ['Operator'];

interface SelectionIn {
  appId?: string;
  endpointId?: string;
  reasonClass?: DeadLetterSelection['reasonClass'];
  eventType?: string;
}

/**
 * Dead letters across apps (Hookrelay extension, admin only): deliveries that failed for good,
 * with the reason of their last attempt and its class — endpoint fault or platform fault — listed,
 * counted per endpoint, and resent as one background task (docs/recovery.md).
 */
export function deadLetterRoutes(api: Api, { store }: ApiContext): void {
  /** The selection's app and endpoint resolved to IDs (uids allowed); an endpoint needs its app. */
  const resolve = async (q: SelectionIn, where: 'query' | 'body') => {
    let appId: string | null = null;
    let endpointId: string | null = null;
    if (q.endpointId !== undefined) {
      if (q.appId === undefined)
        throw ValidationError.single([where, 'appId'], 'an endpoint filter needs its appId', 'value_error.missing');
      const found = await requireEndpoint(store, q.appId, q.endpointId);
      appId = found.app.id;
      endpointId = found.endpoint.id;
    } else if (q.appId !== undefined) appId = (await requireApp(store, q.appId)).id;
    return { appId, endpointId, reasonClass: q.reasonClass ?? null, eventType: q.eventType ?? null };
  };

  const timeOf = (value: string | undefined | null, name: string) => (value == null ? null : queryTime(value, name));

  api.get(
    '/api/v1/dead-letter',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.dead-letter.list',
        tags,
        summary: 'Deliveries that failed for good, with why (extension)',
        description:
          'Hookrelay extension. Failed deliveries across apps, newest first, each with the reason of its last attempt, ' +
          'its class (`endpoint` or `platform` fault) and a link to that attempt. `since`/`until` bound when they failed.',
        querystring: Type.Composite([PageQuerySchema, DeadLetterQuery]),
        response: { 200: ref(ListResponseDeadLetterOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const selection = {
        ...(await resolve(q, 'query')),
        since: timeOf(q.since, 'since'),
        until: timeOf(q.until, 'until'),
      };
      const page = await store.listDeadLetters(pageQuery(q, idIterator('delivery'), 'descending'), selection);
      return {
        ...page,
        data: page.data.map((d) => ({
          id: d.deliveryId,
          appId: d.appId,
          endpointId: d.endpointId,
          msgId: d.msgId,
          eventType: d.eventType,
          reason: d.reason,
          reasonClass: d.reasonClass,
          attempts: d.attempts,
          failedAt: iso(d.failedAt),
          lastAttempt:
            d.lastAttemptId === null
              ? null
              : {
                  id: d.lastAttemptId,
                  responseStatusCode: d.lastStatusCode ?? 0,
                  url: `/api/v1/app/${d.appId}/msg/${d.msgId}/attempt/${d.lastAttemptId}`,
                },
        })),
      };
    },
  );

  api.get(
    '/api/v1/dead-letter/counts',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.dead-letter.counts',
        tags,
        summary: 'Dead letters per endpoint, by reason class (extension)',
        description:
          'Hookrelay extension. Per endpoint with any: dead letters by endpoint fault, by platform fault, unclassified ' +
          '(failed before reasons were kept), and the pending deliveries it holds while disabled.',
        querystring: DeadLetterQuery,
        response: { 200: ref(DeadLetterCountsOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const selection = {
        ...(await resolve(q, 'query')),
        since: timeOf(q.since, 'since'),
        until: timeOf(q.until, 'until'),
      };
      return { data: await store.countDeadLetters(selection) };
    },
  );

  api.post(
    '/api/v1/dead-letter/resend',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.dead-letter.resend',
        tags,
        summary: 'Resend the dead letters a selection names, as one background task (extension)',
        description:
          'Hookrelay extension. A `dead-letter.resend` task re-queues each failed delivery the selection names once ' +
          '(failed since `since`), in the replay lane and at the replay rate; `dryRun` answers the counts instead.',
        body: ref(DeadLetterResendIn),
        response: { 200: ref(TaskDryRunOut), 202: ref(ReplayOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const since = Date.parse(b.since);
      const until = b.until ? Date.parse(b.until) : null;
      if (until !== null && until < since)
        throw ValidationError.single(['body', 'until'], 'until must not be before since', 'value_error');
      const selection = await resolve(b, 'body');
      const query = {
        kind: 'dead-letter.resend' as const,
        appId: selection.appId,
        endpointId: selection.endpointId,
        params: { ...selection, since, until },
      };
      return startTask(store, reply, query, b.dryRun);
    },
  );
}
