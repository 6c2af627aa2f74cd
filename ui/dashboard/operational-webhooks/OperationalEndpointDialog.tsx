import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { data } from '../../shared/api.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { CheckboxField, TextField } from '../../shared/components/Field.js';
import { useApi } from '../../shared/api-context.js';
import {
  OPERATIONAL_EVENT_TYPES,
  type OperationalEventType,
  type OperationalWebhookEndpointIn,
  type OperationalWebhookEndpointOut,
} from '../operator-types.js';
import { formLevelError, groupFieldErrors } from '../field-errors.js';
import { FormDialog } from '../FormDialog.js';
import { dashboardKeys } from '../query-keys.js';
import {
  buildOperationalEndpoint,
  operationalFieldOf,
  valuesOf,
  type OperationalEndpointErrors,
  type OperationalEndpointValues,
} from './operational-endpoint-values.js';

const EVENT_DESCRIPTIONS: Record<OperationalEventType, string> = {
  'endpoint.created': 'An endpoint was added.',
  'endpoint.updated': 'An endpoint was changed.',
  'endpoint.deleted': 'An endpoint was removed.',
  'endpoint.disabled': 'An endpoint was disabled after failing for too long.',
  'message.attempt.failing': 'Deliveries to an endpoint started failing.',
  'message.attempt.exhausted': 'A message used up its retries.',
  'message.attempt.recovered': 'An endpoint that was failing succeeded again.',
  'message.ordering.blocked': 'An ordered key has been held by a failing message for too long.',
};

/**
 * Adds or edits an operational webhook endpoint (mounted open; `endpoint` null adds one).
 */
export function OperationalEndpointDialog({
  endpoint,
  onClose,
}: {
  endpoint: OperationalWebhookEndpointOut | null;
  onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const legendId = useId();
  const [values, setValues] = useState<OperationalEndpointValues>(() => valuesOf(endpoint));
  const [clientErrors, setClientErrors] = useState<OperationalEndpointErrors>({});
  const save = useMutation({
    mutationFn: (body: OperationalWebhookEndpointIn) =>
      endpoint
        ? data(
            api.PUT('/api/v1/operational-webhook/endpoint/{endpoint_id}', {
              params: { path: { endpoint_id: endpoint.id } },
              body,
            }),
          )
        : data(api.POST('/api/v1/operational-webhook/endpoint', { body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.operationalAll() });
      onClose();
    },
  });

  const submit = () => {
    const built = buildOperationalEndpoint(values);
    if (built.errors) {
      setClientErrors(built.errors);
      return;
    }
    setClientErrors({});
    save.mutate(built.body);
  };
  const toggleType = (name: OperationalEventType, checked: boolean) =>
    setValues((v) => ({
      ...v,
      eventTypes: checked ? [...v.eventTypes, name] : v.eventTypes.filter((t) => t !== name),
    }));

  const server = groupFieldErrors(save.error, operationalFieldOf);
  const errorFor = (field: keyof OperationalEndpointErrors) => clientErrors[field] ?? server.fields[field];
  const eventTypesError = errorFor('eventTypes');
  return (
    <FormDialog
      open
      wide
      title={endpoint ? 'Edit operational webhook' : 'Add operational webhook'}
      submitLabel={endpoint ? 'Save changes' : 'Add endpoint'}
      busy={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextField
        label="Endpoint URL"
        type="url"
        value={values.url}
        required
        autoComplete="off"
        spellCheck={false}
        placeholder="https://ops.example.com/hookrelay"
        error={errorFor('url')}
        onChange={(e) => setValues({ ...values, url: e.target.value })}
      />
      <TextField
        label="Description"
        value={values.description}
        error={errorFor('description')}
        onChange={(e) => setValues({ ...values, description: e.target.value })}
      />
      <fieldset
        className={eventTypesError ? 'fieldset field-invalid' : 'fieldset'}
        aria-describedby={`${legendId}-hint`}
      >
        <legend className="field-label">Event types</legend>
        <div id={`${legendId}-hint`} className="field-hint">
          None checked: every event.
        </div>
        <div className="check-grid">
          {OPERATIONAL_EVENT_TYPES.map((name) => (
            <div key={name} className="check-option">
              <input
                type="checkbox"
                id={`${legendId}-${name}`}
                aria-describedby={`${legendId}-${name}-description`}
                checked={values.eventTypes.includes(name)}
                onChange={(e) => toggleType(name, e.target.checked)}
              />
              <div className="check-option-text">
                <label htmlFor={`${legendId}-${name}`} className="mono">
                  {name}
                </label>
                <span id={`${legendId}-${name}-description`} className="check-option-description">
                  {EVENT_DESCRIPTIONS[name]}
                </span>
              </div>
            </div>
          ))}
        </div>
        {eventTypesError ? (
          <div className="field-error" role="alert">
            {eventTypesError}
          </div>
        ) : null}
      </fieldset>
      <TextField
        label="Rate limit (messages per second)"
        type="number"
        inputMode="numeric"
        min={1}
        max={65535}
        value={values.rateLimit}
        hint="Empty: no limit."
        error={errorFor('rateLimit')}
        onChange={(e) => setValues({ ...values, rateLimit: e.target.value })}
      />
      {endpoint ? (
        <CheckboxField
          label="Disabled"
          hint="A disabled endpoint receives nothing until it is enabled again."
          checked={values.disabled}
          onChange={(e) => setValues({ ...values, disabled: e.target.checked })}
        />
      ) : null}
      <InlineError error={formLevelError(save.error, server.rest)} />
    </FormDialog>
  );
}
