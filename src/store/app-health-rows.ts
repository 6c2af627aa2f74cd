import type { AppHealth, AttemptCounts } from './store.js';

/**
 * One AppHealth per app from the two reads each adapter makes (attempt counts, endpoint counts),
 * ordered by app ID: the apps asked for, each once, zeros where a read had no row; or, when no
 * apps were named, every app either read returned.
 */
export function appHealthRows(
  appIds: string[] | null,
  attempts: ReadonlyArray<AttemptCounts & { appId: string }>,
  endpoints: ReadonlyArray<{ appId: string; failing: number; disabled: number }>,
): AppHealth[] {
  const byApp = new Map<string, AppHealth>();
  const row = (appId: string): AppHealth => {
    let r = byApp.get(appId);
    if (!r) byApp.set(appId, (r = { appId, success: 0, failure: 0, failingEndpoints: 0, disabledEndpoints: 0 }));
    return r;
  };
  for (const id of appIds ?? []) row(id);
  for (const a of attempts) Object.assign(row(a.appId), { success: a.success, failure: a.failure });
  for (const e of endpoints)
    Object.assign(row(e.appId), { failingEndpoints: e.failing, disabledEndpoints: e.disabled });
  return [...byApp.values()].sort((x, y) => (x.appId < y.appId ? -1 : x.appId > y.appId ? 1 : 0));
}
