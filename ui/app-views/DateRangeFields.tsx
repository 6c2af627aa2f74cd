import { TextField } from '../shared/components/Field.js';
import { fromLocalInput } from '../shared/local-datetime.js';

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

/** "Since" and "Until" filters of a message list. */
export function DateRangeFields({ value, onChange }: { value: DateRange; onChange: (next: DateRange) => void }) {
  const error = dateRangeError(value);
  return (
    <>
      <TextField label="Since" type="datetime-local" value={value.since} onChange={(e) => onChange({ ...value, since: e.target.value })} />
      <TextField label="Until" type="datetime-local" value={value.until} error={error} onChange={(e) => onChange({ ...value, until: e.target.value })} />
    </>
  );
}
