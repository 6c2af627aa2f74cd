import type { CatalogContext } from './catalog-context.js';
import { changed, first, type Steps } from './steps.js';

/** Instance-wide settings: one text value per key. */

export function* getSetting(c: CatalogContext, key: string): Steps<string | null> {
  const row = yield* first(c.qb.selectFrom('settings').select('value').where('key', '=', key));
  return row?.value ?? null;
}

/** First writer wins, across processes: the losing INSERT does nothing and the read sees the winner's row. */
export function* setSettingIfAbsent(c: CatalogContext, key: string, value: string): Steps<string> {
  yield* changed(
    c.qb
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing()),
  );
  return (yield* getSetting(c, key))!;
}

export function* putSetting(c: CatalogContext, key: string, value: string | null): Steps<void> {
  if (value === null) yield* changed(c.qb.deleteFrom('settings').where('key', '=', key));
  else
    yield* changed(
      c.qb
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
    );
}
