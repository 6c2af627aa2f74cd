import { fromLocalInput } from '../shared/local-datetime.js';

/** The "Since"/"Until" filters of a message list. */
export interface DateRange {
  /** `datetime-local` values, local time; empty = open. */
  since: string;
  until: string;
}

/** The `after`/`before` query of a Svix list, from the range as typed. */
export function dateRangeQuery(range: DateRange): { after?: string; before?: string } {
  const after = fromLocalInput(range.since);
  const before = fromLocalInput(range.until);
  return { ...(after ? { after: after.toISOString() } : {}), ...(before ? { before: before.toISOString() } : {}) };
}

export function dateRangeError(range: DateRange): string | null {
  const after = fromLocalInput(range.since);
  const before = fromLocalInput(range.until);
  return after && before && after >= before ? '"Since" must be before "Until".' : null;
}
