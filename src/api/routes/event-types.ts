import { Type } from '@sinclair/typebox';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { EventTypeUpdate as StoreEventTypeUpdate } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { checkEventTypeSchemas } from '../event-type-schemas.js';
import { mapPage, nameIterator, pageQuery } from '../pagination.js';
import { ERROR_RESPONSES, EventTypeName, IdempotencyHeaders, OrderedPageQuery, ref } from '../schemas/common.js';
import {
  EventTypeIn,
  EventTypeOut,
  EventTypePatch,
  EventTypeUpdate,
  ListResponseEventTypeOut,
} from '../schemas/event-type.js';
import { eventTypeOut } from '../serializers.js';

const tags = ['Event Type'];
const NameParams = Type.Object({ event_type_name: EventTypeName });

export function eventTypeRoutes(api: Api, { store }: ApiContext): void {
  api.get(
    '/api/v1/event-type',
    {
      config: { access: 'any', capability: 'ViewBase' },
      schema: {
        operationId: 'v1.event-type.list',
        tags,
        summary: 'List event types',
        querystring: Type.Composite([
          OrderedPageQuery,
          Type.Object({
            include_archived: Type.Optional(
              Type.Boolean({ default: false, description: 'Include archived event types (Default: false).' }),
            ),
            with_content: Type.Optional(
              Type.Boolean({ default: false, description: 'Include the schemas (Default: false).' }),
            ),
          }),
        ]),
        response: { 200: ref(ListResponseEventTypeOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const page = await store.listEventTypes(
        pageQuery(req.query, nameIterator, 'ascending'),
        req.query.include_archived ?? false,
      );
      const withContent = req.query.with_content ?? false;
      return mapPage(page, (et) => ({ ...eventTypeOut(et), schemas: withContent ? eventTypeOut(et).schemas : null }));
    },
  );

  api.post(
    '/api/v1/event-type',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.event-type.create',
        tags,
        summary: 'Create an event type',
        headers: IdempotencyHeaders,
        body: ref(EventTypeIn),
        response: { 201: ref(EventTypeOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      checkEventTypeSchemas(b.schemas);
      if (await store.getEventType(b.name)) throw new ConflictError(`Event type '${b.name}' already exists.`);
      const created = await store.createEventType({
        name: b.name,
        description: b.description,
        schemas: b.schemas ?? null,
        archived: b.archived ?? false,
        deprecated: b.deprecated ?? false,
        featureFlag: b.featureFlag ?? null,
        now: Date.now(),
      });
      return reply.code(201).send(eventTypeOut(created));
    },
  );

  api.get(
    '/api/v1/event-type/:event_type_name',
    {
      config: { access: 'any', capability: 'ViewBase' },
      schema: {
        operationId: 'v1.event-type.get',
        tags,
        summary: 'Get an event type',
        params: NameParams,
        response: { 200: ref(EventTypeOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const et = await store.getEventType(req.params.event_type_name);
      if (!et) throw new NotFoundError('Event type', req.params.event_type_name);
      return eventTypeOut(et);
    },
  );

  api.put(
    '/api/v1/event-type/:event_type_name',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.event-type.update',
        tags,
        summary: 'Update (or create) an event type',
        description: "Replaces the event type's fields; creates it (201) when it does not exist.",
        params: NameParams,
        body: ref(EventTypeUpdate),
        response: { 200: ref(EventTypeOut), 201: ref(EventTypeOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      checkEventTypeSchemas(b.schemas);
      const fields = {
        description: b.description,
        schemas: b.schemas ?? null,
        archived: b.archived ?? false,
        deprecated: b.deprecated ?? false,
        featureFlag: b.featureFlag ?? null,
      };
      const now = Date.now();
      const updated = await store.updateEventType(req.params.event_type_name, fields, now);
      if (updated) return eventTypeOut(updated);
      const created = await store.createEventType({ name: req.params.event_type_name, ...fields, now });
      return reply.code(201).send(eventTypeOut(created));
    },
  );

  api.patch(
    '/api/v1/event-type/:event_type_name',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.event-type.patch',
        tags,
        summary: 'Patch an event type',
        params: NameParams,
        body: ref(EventTypePatch),
        response: { 200: ref(EventTypeOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const b = req.body;
      checkEventTypeSchemas(b.schemas);
      const update: StoreEventTypeUpdate = {};
      if (b.description !== undefined) update.description = b.description;
      if (b.schemas !== undefined) update.schemas = b.schemas;
      if (b.archived !== undefined) update.archived = b.archived;
      if (b.deprecated !== undefined) update.deprecated = b.deprecated;
      if (b.featureFlag !== undefined) update.featureFlag = b.featureFlag;
      const updated = await store.updateEventType(req.params.event_type_name, update, Date.now());
      if (!updated) throw new NotFoundError('Event type', req.params.event_type_name);
      return eventTypeOut(updated);
    },
  );

  api.delete(
    '/api/v1/event-type/:event_type_name',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.event-type.delete',
        tags,
        summary: 'Archive (or delete) an event type',
        description: 'Archives the event type (hidden from lists, still usable); `expunge=true` deletes it for good.',
        params: NameParams,
        querystring: Type.Object({ expunge: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const name = req.params.event_type_name;
      const done = req.query.expunge
        ? await store.deleteEventType(name)
        : (await store.updateEventType(name, { archived: true }, Date.now())) !== null;
      if (!done) throw new NotFoundError('Event type', name);
      return reply.code(204).send(null);
    },
  );
}
