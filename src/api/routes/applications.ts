import { Type } from '@sinclair/typebox';
import { ConflictError, NotFoundError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { ApplicationUpdate } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { requireApp } from '../lookup.js';
import { idIterator, mapPage, pageQuery } from '../pagination.js';
import { ApplicationIn, ApplicationOut, ApplicationPatch, ListResponseApplicationOut } from '../schemas/application.js';
import { AppIdParams, ERROR_RESPONSES, IdempotencyHeaders, OrderedPageQuery, ref } from '../schemas/common.js';
import { applicationOut } from '../serializers.js';

const tags = ['Application'];

export function applicationRoutes(api: Api, ctx: ApiContext): void {
  const { store } = ctx;
  api.get(
    '/api/v1/app',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.application.list',
        tags,
        summary: 'List applications',
        description:
          'Hookrelay extension: `search` keeps the application whose ID it is, and those whose uid or name contains it (ignoring case).',
        querystring: Type.Composite([
          OrderedPageQuery,
          Type.Object({
            search: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 256,
                description: 'An application ID, or part of a uid or name, in any case. (Hookrelay extension.)',
              }),
            ),
          }),
        ]),
        response: { 200: ref(ListResponseApplicationOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const filter = req.query.search === undefined ? {} : { search: req.query.search };
      const page = await store.listApplications(pageQuery(req.query, idIterator('application'), 'ascending'), filter);
      return mapPage(page, applicationOut);
    },
  );

  api.post(
    '/api/v1/app',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.application.create',
        tags,
        summary: 'Create an application',
        description:
          'With `get_if_exists=true`, an existing application with the same uid is returned (200) instead of a 409.',
        querystring: Type.Object({ get_if_exists: Type.Optional(Type.Boolean({ default: false })) }),
        headers: IdempotencyHeaders,
        body: ref(ApplicationIn),
        response: { 200: ref(ApplicationOut), 201: ref(ApplicationOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (req.query.get_if_exists && body.uid) {
        const existing = await store.getApplication(body.uid);
        if (existing) return reply.code(200).send(applicationOut(existing));
      }
      try {
        const created = await store.createApplication({
          id: newId('application'),
          uid: body.uid ?? null,
          name: body.name,
          rateLimit: body.rateLimit ?? body.throttleRate ?? null,
          metadata: body.metadata ?? {},
          now: Date.now(),
        });
        return reply.code(201).send(applicationOut(created));
      } catch (err) {
        // Lost a race with another create of the same uid: get_if_exists still means "give me it".
        if (err instanceof ConflictError && req.query.get_if_exists && body.uid) {
          const existing = await store.getApplication(body.uid);
          if (existing) return reply.code(200).send(applicationOut(existing));
        }
        throw err;
      }
    },
  );

  api.get(
    '/api/v1/app/:app_id',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.application.get',
        tags,
        summary: 'Get an application',
        params: AppIdParams,
        response: { 200: ref(ApplicationOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => applicationOut(await requireApp(store, req.params.app_id)),
  );

  api.put(
    '/api/v1/app/:app_id',
    {
      config: { capability: 'all' },
      schema: {
        operationId: 'v1.application.update',
        tags,
        summary: 'Update an application',
        description: 'Replaces name, rateLimit and metadata; uid is kept when omitted.',
        params: AppIdParams,
        body: ref(ApplicationIn),
        response: { 200: ref(ApplicationOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const app = await requireApp(store, req.params.app_id);
      const b = req.body;
      const update: ApplicationUpdate = {
        name: b.name,
        rateLimit: b.rateLimit ?? b.throttleRate ?? null,
        metadata: b.metadata ?? {},
      };
      if (b.uid !== undefined) update.uid = b.uid;
      const updated = await store.updateApplication(app.id, update, Date.now());
      ctx.appIds.clear();
      if (!updated) throw new NotFoundError('Application', req.params.app_id);
      return applicationOut(updated);
    },
  );

  api.patch(
    '/api/v1/app/:app_id',
    {
      config: { capability: 'all' },
      schema: {
        operationId: 'v1.application.patch',
        tags,
        summary: 'Patch an application',
        params: AppIdParams,
        body: ref(ApplicationPatch),
        response: { 200: ref(ApplicationOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const app = await requireApp(store, req.params.app_id);
      const b = req.body;
      const update: ApplicationUpdate = {};
      if (b.name !== undefined) update.name = b.name;
      if (b.uid !== undefined) update.uid = b.uid;
      if (b.metadata !== undefined) update.metadata = b.metadata;
      if (b.rateLimit !== undefined) update.rateLimit = b.rateLimit;
      else if (b.throttleRate !== undefined) update.rateLimit = b.throttleRate;
      const updated = await store.updateApplication(app.id, update, Date.now());
      ctx.appIds.clear();
      if (!updated) throw new NotFoundError('Application', req.params.app_id);
      return applicationOut(updated);
    },
  );

  api.delete(
    '/api/v1/app/:app_id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.application.delete',
        tags,
        summary: 'Delete an application',
        description: 'Deletes the application with its endpoints, messages and attempts.',
        params: AppIdParams,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const app = await requireApp(store, req.params.app_id);
      await store.deleteApplication(app.id);
      await ctx.environment.putAppOverrides(app.id, {});
      ctx.appIds.clear();
      return reply.code(204).send(null);
    },
  );
}
