import { idFloor, type IdKind } from '../ids.js';

/**
 * A time range as an ID range. Messages and attempts get their ID from the same `now` as their
 * `created_at` (`newId(kind, now)`), and an ID starts with its second (src/ids.ts), so a row
 * created in [since, until) has an ID in [from, below). Lists and counts add these bounds to
 * their exact `created_at` condition: the bounds let them seek the ID's index (the primary key,
 * `(app_id, id)`, `(endpoint_id, id)`), the `created_at` condition keeps the result exact.
 */
export interface IdRange {
  /** Inclusive lower bound, or null for none. */
  from: string | null;
  /** Exclusive upper bound, or null for none. */
  below: string | null;
}

/** `since` inclusive, `until` exclusive, epoch ms; either may be absent. */
export function idRange(kind: IdKind, since: number | undefined, until: number | undefined): IdRange {
  return {
    from: since === undefined ? null : idFloor(kind, since),
    // The last millisecond before `until` lies in second ⌊(until − 1) / 1000⌋; the next second's floor bounds it.
    below: until === undefined ? null : idFloor(kind, (Math.floor((until - 1) / 1000) + 1) * 1000),
  };
}
