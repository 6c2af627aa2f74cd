import { useId } from 'react';
import { Button } from '../shared/components/Button.js';
import { TextField } from '../shared/components/Field.js';
import { headerRow, type HeaderRow } from './endpoint-form-values.js';

/** Custom headers sent with every delivery, as name/value rows. */
export function HeadersEditor({
  rows,
  onChange,
  error,
}: {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  error?: string;
}) {
  const errorId = useId();
  const update = (key: number, change: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <fieldset className={error ? 'fieldset field-invalid' : 'fieldset'} aria-describedby={error ? errorId : undefined}>
      <legend className="field-label">Custom headers</legend>
      <p className="field-hint">Sent with every delivery, e.g. an API key your receiver checks.</p>
      {rows.map((row) => (
        <div key={row.key} className="header-row">
          <TextField
            label="Header name"
            value={row.name}
            placeholder="X-Api-Key"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => update(row.key, { name: e.target.value })}
          />
          <TextField
            label="Header value"
            value={row.value}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => update(row.key, { value: e.target.value })}
          />
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Remove header ${row.name || 'row'}`}
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
          >
            Remove
          </Button>
        </div>
      ))}
      {error ? (
        <div id={errorId} className="field-error" role="alert">
          {error}
        </div>
      ) : null}
      <Button size="sm" onClick={() => onChange([...rows, headerRow()])}>
        Add header
      </Button>
    </fieldset>
  );
}
