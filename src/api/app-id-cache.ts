import type { AppId } from '../ids.js';
/**
 * The application ID behind an ID-or-uid path parameter, remembered for a moment. Message
 * creation resolves its app on every request: a round trip on PostgreSQL, a visible share of
 * the server's time on SQLite. Safe to remember because the ingest
 * transaction checks the app again (a deleted app still answers 404), and this process forgets
 * everything on each app update or delete. Another API process may follow a uid that moved to
 * another app for at most `ttlMs`.
 */
export class AppIdCache {
  private readonly entries = new Map<string, { id: AppId; until: number }>();

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  get(idOrUid: string, now = Date.now()): AppId | null {
    const e = this.entries.get(idOrUid);
    if (!e) return null;
    if (e.until > now) return e.id;
    this.entries.delete(idOrUid);
    return null;
  }

  set(idOrUid: string, id: AppId, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(idOrUid, { id, until: now + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
