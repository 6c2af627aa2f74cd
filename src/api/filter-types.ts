import type { Application } from '../domain/model.js';
import { OPERATIONAL_EVENT_TYPES } from '../domain/operational-webhooks.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';

/**
 * An endpoint may filter only on event types that exist, archived or not (Svix's
 * `validate_event_types`; an archived type is still usable): a misspelt or missing name would otherwise match nothing, silently.
 * The operational app may also name the operational event types, which are not in the catalog.
 */
export async function checkFilterTypes(
  store: Store,
  app: Application,
  filterTypes: string[] | null | undefined,
  operationalApp: string,
): Promise<void> {
  if (!filterTypes || filterTypes.length === 0) return;
  const builtIn =
    app.uid === operationalApp || app.id === operationalApp ? new Set<string>(OPERATIONAL_EVENT_TYPES) : null;
  const unknown: string[] = [];
  for (const name of new Set(filterTypes)) {
    if (builtIn?.has(name)) continue;
    if (!(await store.getEventType(name))) unknown.push(name);
  }
  if (unknown.length === 0) return;
  throw ValidationError.single(
    ['body', 'filterTypes'],
    `Unknown event type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Create ${unknown.length > 1 ? 'them' : 'it'} first (POST /api/v1/event-type): an endpoint filtering on it would receive nothing.`,
  );
}
