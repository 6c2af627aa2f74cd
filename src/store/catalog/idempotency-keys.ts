import type { IdempotentResponse } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { changed, first, type Steps } from './steps.js';

/** The stored responses of requests sent with an Idempotency-Key, per token scope, until they expire. */

export function* getIdempotentResponse(
  c: CatalogContext,
  scope: string,
  key: string,
  now: number,
): Steps<IdempotentResponse | null> {
  const row = yield* first(
    c.qb
      .selectFrom('idempotency_keys')
      .select(['status', 'body'])
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('expires_at', '>', now),
  );
  return row ?? null;
}

export function* putIdempotentResponse(
  c: CatalogContext,
  scope: string,
  key: string,
  r: IdempotentResponse,
  expiresAt: number,
): Steps<void> {
  yield* changed(
    c.qb
      .insertInto('idempotency_keys')
      .values({ scope, key, status: r.status, body: r.body, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.columns(['scope', 'key']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          body: eb.ref('excluded.body'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      ),
  );
}
