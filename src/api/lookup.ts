import type { Application, Endpoint, Message } from '../domain/model.js';
import { NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';

/** Path parameters → records, or a 404 naming what was missing. IDs and uids/eventIds both work. */

export async function requireApp(store: Store, idOrUid: string): Promise<Application> {
  const app = await store.getApplication(idOrUid);
  if (!app) throw new NotFoundError('Application', idOrUid);
  return app;
}

export async function requireEndpoint(store: Store, appIdOrUid: string, endpointIdOrUid: string): Promise<{ app: Application; endpoint: Endpoint }> {
  const app = await requireApp(store, appIdOrUid);
  const endpoint = await store.getEndpoint(app.id, endpointIdOrUid);
  if (!endpoint) throw new NotFoundError('Endpoint', endpointIdOrUid);
  return { app, endpoint };
}

export async function requireMessage(store: Store, appIdOrUid: string, msgIdOrEventId: string): Promise<{ app: Application; message: Message }> {
  const app = await requireApp(store, appIdOrUid);
  const message = await store.getMessage(app.id, msgIdOrEventId);
  if (!message) throw new NotFoundError('Message', msgIdOrEventId);
  return { app, message };
}

/** Parse an ISO date-time query/body value (already format-checked by the schema). */
export function parseTime(value: string | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  return Date.parse(value);
}
