import { useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/api.js';
import { Button } from '../../shared/components/Button.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { TextAreaField, TextField } from '../../shared/components/Field.js';
import { formLevelError, groupFieldErrors } from '../field-errors.js';
import {
  buildEventType,
  eventTypeFieldOf,
  type EventTypeDraft,
  type EventTypeErrors,
  type EventTypeFormValues,
  type EventTypeOut,
} from './event-type-form-values.js';

export interface EventTypeSubmit {
  values: EventTypeFormValues;
  schemas: NonNullable<EventTypeOut['schemas']> | null;
}

/**
 * An event type's name, description, JSON Schema and example. Checked here first (JSON, an
 * object); the server then compiles the schema and checks the example against it, and its 422
 * messages appear at these fields.
 */
export function EventTypeForm({
  draft,
  isNew,
  submitLabel,
  busy,
  error,
  onSubmit,
}: {
  draft: EventTypeDraft;
  isNew: boolean;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (submit: EventTypeSubmit) => void;
}) {
  const [values, setValues] = useState<EventTypeFormValues>(draft.values);
  const [clientErrors, setClientErrors] = useState<EventTypeErrors>({});
  const set = (field: keyof EventTypeFormValues) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const built = buildEventType(draft, values, isNew);
    if (built.errors) {
      setClientErrors(built.errors);
      return;
    }
    setClientErrors({});
    onSubmit({ values: { ...values, name: values.name.trim() }, schemas: built.schemas });
  };

  const server = groupFieldErrors(error, eventTypeFieldOf);
  // A name already taken comes back as a 409 without a field.
  const nameTaken = error instanceof ApiError && error.status === 409 ? error.detail : undefined;
  const errorFor = (field: keyof EventTypeFormValues) =>
    clientErrors[field] ?? server.fields[field] ?? (field === 'name' ? nameTaken : undefined);
  return (
    <form className="form" onSubmit={submit} noValidate>
      <TextField
        label="Name"
        value={values.name}
        onChange={set('name')}
        readOnly={!isNew}
        required={isNew}
        maxLength={256}
        autoComplete="off"
        spellCheck={false}
        error={errorFor('name')}
        hint={
          isNew
            ? 'What producers send as eventType, e.g. invoice.paid. Names with a common prefix are grouped together.'
            : 'The name cannot be changed.'
        }
      />
      <TextField
        label="Description"
        value={values.description}
        onChange={set('description')}
        maxLength={8192}
        error={errorFor('description')}
        hint="Shown to your customers in the event catalog."
      />
      <TextAreaField
        label="JSON Schema"
        value={values.schema}
        onChange={set('schema')}
        rows={12}
        spellCheck={false}
        error={errorFor('schema')}
        placeholder={'{\n  "type": "object",\n  "properties": {}\n}'}
        hint={`Version ${draft.version} of the payload's schema. Draft-07 unless "$schema" names 2019-09 or 2020-12. Leave empty for no schema.`}
      />
      <TextAreaField
        label="Example payload"
        value={values.example}
        onChange={set('example')}
        rows={8}
        spellCheck={false}
        error={errorFor('example')}
        placeholder={'{\n  "id": "inv_1001"\n}'}
        hint="A JSON object matching the schema. It appears in the event catalog, and an endpoint's Send example delivers it."
      />
      {nameTaken ? null : <InlineError error={formLevelError(error, server.rest)} />}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
