import { Type } from '@sinclair/typebox';
import { DateTime, ListResponse, Metadata, Nullable, RateLimit, Uid } from './common.js';

const appFields = {
  name: Type.String({ minLength: 1, maxLength: 256, examples: ['My first application'] }),
  uid: Nullable(Uid),
  rateLimit: Nullable(RateLimit),
  throttleRate: Nullable(
    Type.Integer({ minimum: 1, maximum: 65535, description: 'Alias of `rateLimit` (older Svix SDKs).' }),
  ),
  metadata: Metadata,
};

export const ApplicationIn = Type.Object(
  {
    name: appFields.name,
    uid: Type.Optional(appFields.uid),
    rateLimit: Type.Optional(appFields.rateLimit),
    throttleRate: Type.Optional(appFields.throttleRate),
    metadata: Type.Optional(appFields.metadata),
  },
  { $id: 'ApplicationIn' },
);

export const ApplicationPatch = Type.Object(
  {
    name: Type.Optional(appFields.name),
    uid: Type.Optional(appFields.uid),
    rateLimit: Type.Optional(appFields.rateLimit),
    throttleRate: Type.Optional(appFields.throttleRate),
    metadata: Type.Optional(appFields.metadata),
  },
  { $id: 'ApplicationPatch' },
);

export const ApplicationOut = Type.Object(
  {
    id: Type.String({ examples: ['app_1srOrx2ZWZBpBUvZwXKQmoEYga2'] }),
    uid: Nullable(Type.String()),
    name: Type.String(),
    rateLimit: Nullable(Type.Integer()),
    throttleRate: Nullable(Type.Integer({ description: 'Same as `rateLimit`.' })),
    metadata: Metadata,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'ApplicationOut' },
);

export const ListResponseApplicationOut = ListResponse(ApplicationOut, 'ApplicationOut');
