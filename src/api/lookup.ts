import type { Application, Endpoint, Message, Metadata } from '../domain/model.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { looksLikeId, newId } from '../ids.js';
import type { Store } from '../store/store.js';

/** Path parameters → records, or a 404 naming what was missing. IDs and uids/eventIds both work. */

export async function requireApp(store: Store, idOrUid: string): Promise<Application> {
  const app = await store.getApplication(idOrUid);
  if (!app) throw new NotFoundError('Application', idOrUid);
  return app;
}

/** Svix's `application` body field: the application to create when the path names none yet. */
export interface ApplicationToCreate {
  name: string;
  uid?: string | null;
  rateLimit?: number | null;
  throttleRate?: number | null;
  metadata?: Metadata;
}

/**
 * The application of the path, created first when the body describes one and it does not exist
 * (message create, portal access). A path that is not an ID becomes the new app's uid.
 */
export async function requireAppOrCreate(
  store: Store,
  idOrUid: string,
  appIn: ApplicationToCreate | null | undefined,
): Promise<Application> {
  const app = await store.getApplication(idOrUid);
  if (app) return app;
  if (!appIn) throw new NotFoundError('Application', idOrUid);
  try {
    return await store.createApplication({
      id: newId('application'),
      uid: appIn.uid ?? (looksLikeId('application', idOrUid) ? null : idOrUid),
      name: appIn.name,
      rateLimit: appIn.rateLimit ?? appIn.throttleRate ?? null,
      metadata: appIn.metadata ?? {},
      now: Date.now(),
    });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return requireApp(store, appIn.uid ?? idOrUid); // created concurrently by another request
  }
}

export async function requireEndpoint(
  store: Store,
  appIdOrUid: string,
  endpointIdOrUid: string,
): Promise<{ app: Application; endpoint: Endpoint }> {
  const app = await requireApp(store, appIdOrUid);
  const endpoint = await store.getEndpoint(app.id, endpointIdOrUid);
  if (!endpoint) throw new NotFoundError('Endpoint', endpointIdOrUid);
  return { app, endpoint };
}

export async function requireMessage(
  store: Store,
  appIdOrUid: string,
  msgIdOrEventId: string,
): Promise<{ app: Application; message: Message }> {
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
