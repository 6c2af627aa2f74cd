import type { SwaggerOptions } from '@fastify/swagger';

/** Options of the generated OpenAPI 3.1 document (served at /api/v1/openapi.json, snapshot in docs/openapi.json). */
export function openapiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hookrelay API',
        version: '1.0.0',
        description:
          'Svix-compatible webhooks API: every Svix SDK works against it by setting `serverUrl`. ' +
          'Fields and routes marked "Hookrelay extension" are ours. Errors are `{code, detail}` (docs/errors.md); ' +
          'validation errors are 422 `{detail: [{loc, msg, type}]}`.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      components: {
        securitySchemes: {
          HTTPBearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An admin token, or an app-scoped token (from /api/v1/auth/app-portal-access, a portal session from /api/v1/auth/one-time-token, or `hookrelay token --app`).',
          },
        },
      },
      security: [{ HTTPBearer: [] }],
      tags: [
        { name: 'Application', description: "The sending team's customers: each owns endpoints and messages." },
        { name: 'Event Type', description: 'The kinds of events messages carry.' },
        { name: 'Endpoint', description: "Where an application's messages are delivered (or polled from)." },
        { name: 'Message', description: 'Events sent to an application.' },
        { name: 'Message Attempt', description: 'Delivery attempts, destinations and resends.' },
        { name: 'Authentication', description: 'App-scoped tokens, portal login links and sessions, capabilities.' },
        {
          name: 'Environment',
          description:
            'Settings of the whole installation (portal look and framing, retention) and per-application portal overrides.',
        },
        { name: 'Health', description: 'Liveness.' },
      ],
    },
    refResolver: {
      // Name components after the models' $id (ApplicationOut, ...) instead of def-0, def-1.
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  };
}
