import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../shared/api.js';
import { Button } from '../shared/components/Button.js';
import { InlineError } from '../shared/components/ErrorState.js';
import { TextField } from '../shared/components/Field.js';
import {
  endpointFieldErrors,
  validateEndpointForm,
  type EndpointFieldErrors,
  type EndpointFormValues,
} from './endpoint-form-values.js';
import { EventTypePicker } from './EventTypePicker.js';
import { HeadersEditor } from './HeadersEditor.js';
import { KindChoice } from './KindChoice.js';

/**
 * Create and edit share this form. It checks the values first (the same rules as the server);
 * what the server still refuses comes back as a 422 whose messages sit next to their fields.
 */
export function EndpointForm({
  initial,
  mode,
  busy,
  error,
  onSubmit,
  cancelHref,
}: {
  initial: EndpointFormValues;
  mode: 'create' | 'edit';
  busy: boolean;
  /** The last failed submit; a 422's field errors are shown next to the fields. */
  error: unknown;
  onSubmit: (values: EndpointFormValues) => void;
  cancelHref: string;
}) {
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<EndpointFieldErrors>({});
  const form = useRef<HTMLFormElement>(null);
  const serverErrors = error instanceof ApiError ? endpointFieldErrors(error.fieldErrors) : {};
  const errors: EndpointFieldErrors = { ...serverErrors, ...clientErrors };
  const set = <K extends keyof EndpointFormValues>(key: K, value: EndpointFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors(({ [key as keyof EndpointFieldErrors]: _cleared, ...rest }) => rest);
  };

  // A failed submit moves focus to the first field in error, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (!error && Object.keys(clientErrors).length === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input')?.focus();
  }, [error, clientErrors]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateEndpointForm(values);
    setClientErrors(found);
    if (Object.keys(found).length === 0) onSubmit(values);
  };

  // A 422 is shown field by field; only what belongs to no field goes in the general message.
  const formError =
    error instanceof ApiError && error.fieldErrors.length > 0 ? (errors.form ? new Error(errors.form) : null) : error;
  return (
    <form ref={form} className="card form" onSubmit={submit} noValidate>
      {mode === 'create' ? <KindChoice value={values.kind} onChange={(kind) => set('kind', kind)} /> : null}
      {values.kind === 'url' ? (
        <TextField
          label="Endpoint URL"
          type="url"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          required
          placeholder="https://example.com/webhooks"
          value={values.url}
          error={errors.url}
          hint="Every message is sent here as an HTTP POST, signed with the endpoint's secret."
          onChange={(e) => set('url', e.target.value)}
        />
      ) : null}
      <TextField
        label="Description"
        value={values.description}
        error={errors.description}
        placeholder="Production order sync"
        hint="Optional: what this endpoint is for."
        onChange={(e) => set('description', e.target.value)}
      />
      <EventTypePicker
        selected={values.filterTypes}
        onChange={(next) => set('filterTypes', next)}
        error={errors.filterTypes}
      />
      <TextField
        label="Channels"
        value={values.channels}
        placeholder="project_123, eu"
        spellCheck={false}
        autoComplete="off"
        error={errors.channels}
        hint="Comma separated. Only messages on one of these channels are delivered; leave empty for all."
        onChange={(e) => set('channels', e.target.value)}
      />
      {values.kind === 'url' ? (
        <TextField
          label="Rate limit (messages per second)"
          inputMode="numeric"
          value={values.rateLimit}
          placeholder="No limit"
          error={errors.rateLimit}
          hint="Leave empty to deliver as fast as your endpoint answers."
          onChange={(e) => set('rateLimit', e.target.value)}
        />
      ) : null}
      {values.kind === 'url' ? (
        <HeadersEditor rows={values.headers} onChange={(rows) => set('headers', rows)} error={errors.headers} />
      ) : null}
      <InlineError error={formError} />
      <div className="form-actions">
        <Link href={cancelHref} className="btn btn-ghost">
          Cancel
        </Link>
        <Button type="submit" variant="primary" busy={busy}>
          {mode === 'create' ? 'Create endpoint' : 'Save changes'}
        </Button>
      </div>
    </form>
  );
}
