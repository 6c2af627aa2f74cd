import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, data, type components } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { TextField } from '../../shared/components/Field.js';
import { formLevelError, groupFieldErrors, topLevelField } from '../field-errors.js';
import { FormDialog } from '../FormDialog.js';
import { dashboardKeys } from '../query-keys.js';

type ApplicationOut = components['schemas']['ApplicationOut'];

const UID = /^[a-zA-Z0-9\-_.]+$/;
const FIELDS = ['name', 'uid'] as const;

interface Values {
  name: string;
  uid: string;
}

function validate(values: Values): Partial<Values> {
  const errors: Partial<Values> = {};
  const name = values.name.trim();
  if (!name) errors.name = 'Enter a name.';
  else if (name.length > 256) errors.name = 'At most 256 characters.';
  const uid = values.uid.trim();
  if (uid && !UID.test(uid)) errors.uid = 'Letters, digits, "-", "_" and "." only.';
  else if (uid.length > 256) errors.uid = 'At most 256 characters.';
  return errors;
}

/** "Create application": a name and an optional UID (usable instead of the ID in API paths). */
export function CreateApplicationDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (app: ApplicationOut) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({ name: '', uid: '' });
  const [clientErrors, setClientErrors] = useState<Partial<Values>>({});
  const create = useMutation({
    mutationFn: (body: components['schemas']['ApplicationIn']) => data(api.POST('/api/v1/app', { body })),
    onSuccess: async (app) => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.appsAll() });
      setValues({ name: '', uid: '' });
      onCreated(app);
    },
  });

  const submit = () => {
    const errors = validate(values);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) return;
    create.mutate({ name: values.name.trim(), uid: values.uid.trim() || null });
  };
  const close = () => {
    create.reset();
    setClientErrors({});
    onClose();
  };

  const server = groupFieldErrors(create.error, topLevelField(FIELDS));
  // A UID already taken is a 409 without a field: it belongs to the UID field.
  const conflict = create.error instanceof ApiError && create.error.status === 409 ? create.error.detail : undefined;
  return (
    <FormDialog
      open={open}
      title="Create application"
      submitLabel="Create"
      busy={create.isPending}
      onSubmit={submit}
      onClose={close}
    >
      <p className="muted">
        An application is one of your customers: its endpoints receive the messages you send to it.
      </p>
      <TextField
        label="Name"
        value={values.name}
        required
        maxLength={256}
        autoComplete="off"
        error={clientErrors.name ?? server.fields.name}
        onChange={(e) => setValues({ ...values, name: e.target.value })}
      />
      <TextField
        label="UID (optional)"
        value={values.uid}
        maxLength={256}
        autoComplete="off"
        spellCheck={false}
        hint="Your own identifier for it, e.g. your customer's ID. Usable instead of the app ID in API paths."
        error={clientErrors.uid ?? server.fields.uid ?? conflict}
        onChange={(e) => setValues({ ...values, uid: e.target.value })}
      />
      {conflict ? null : <InlineError error={formLevelError(create.error, server.rest)} />}
    </FormDialog>
  );
}
