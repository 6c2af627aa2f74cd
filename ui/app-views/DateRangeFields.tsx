import { TextField } from '../shared/components/Field.js';
import { dateRangeError, type DateRange } from './date-range.js';

/** "Since" and "Until" filters of a message list. */
export function DateRangeFields({ value, onChange }: { value: DateRange; onChange: (next: DateRange) => void }) {
  const error = dateRangeError(value);
  return (
    <>
      <TextField
        label="Since"
        type="datetime-local"
        value={value.since}
        onChange={(e) => onChange({ ...value, since: e.target.value })}
      />
      <TextField
        label="Until"
        type="datetime-local"
        value={value.until}
        error={error}
        onChange={(e) => onChange({ ...value, until: e.target.value })}
      />
    </>
  );
}
