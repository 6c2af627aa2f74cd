import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { Button } from '../../shared/components/Button.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { Field, SelectField, TextAreaField, TextField } from '../../shared/components/Field.js';
import { Card, PageHeader } from '../../shared/components/PageHeader.js';
import { QueryView } from '../../shared/components/QueryView.js';
import { formLevelError, groupFieldErrors } from '../field-errors.js';
import { dashboardKeys } from '../query-keys.js';
import {
  buildSettingsPatch,
  settingsFieldOf,
  valuesOf,
  type EnvironmentSettings,
  type EnvironmentSettingsPatch,
  type SettingsErrors,
  type SettingsValues,
  type Theme,
} from './settings-form-values.js';
import { ThemePreview } from './ThemePreview.js';

const HEX6 = /^#[0-9a-fA-F]{6}$/;
const HEX3 = /^#[0-9a-fA-F]{3}$/;
const DEFAULT_PRIMARY = '#4f46e5';

/** `<input type="color">` takes #rrggbb only. */
function pickerValue(text: string): string {
  const value = text.trim();
  if (HEX6.test(value)) return value.toLowerCase();
  if (HEX3.test(value))
    return `#${value
      .slice(1)
      .split('')
      .map((c) => c + c)
      .join('')}`.toLowerCase();
  return DEFAULT_PRIMARY;
}

/** The environment's settings: the portal's look, who may embed it, and how long messages are kept. */
export function SettingsPage() {
  const api = useApi();
  const settings = useQuery({
    queryKey: dashboardKeys.settings(),
    queryFn: () => data(api.GET('/api/v1/environment/settings')),
  });
  return (
    <>
      <PageHeader
        title="Settings"
        description="The consumer portal's look, the sites allowed to embed it, and how long message content is kept. An application can override the portal's look and embedding (PUT /api/v1/app/{app_id}/portal-settings)."
      />
      <QueryView query={settings} loadingLabel="Loading settings…">
        {(stored) => <SettingsForm stored={stored} />}
      </QueryView>
    </>
  );
}

function SettingsForm({ stored }: { stored: EnvironmentSettings }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<SettingsValues>(() => valuesOf(stored));
  const [clientErrors, setClientErrors] = useState<SettingsErrors>({});
  const [unchanged, setUnchanged] = useState(false);
  const save = useMutation({
    mutationFn: (patch: EnvironmentSettingsPatch) =>
      data(api.PATCH('/api/v1/management/environment-settings', { body: patch })),
    onSuccess: (saved) => {
      queryClient.setQueryData(dashboardKeys.settings(), saved);
      // The server's normalised values (e.g. origins) become the form's.
      setValues(valuesOf(saved));
    },
  });
  const set = <K extends keyof SettingsValues>(field: K, value: SettingsValues[K]) => {
    setUnchanged(false);
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const built = buildSettingsPatch(stored, values);
    if (built.errors) {
      setClientErrors(built.errors);
      return;
    }
    setClientErrors({});
    if (Object.keys(built.patch).length === 0) {
      setUnchanged(true);
      return;
    }
    save.mutate(built.patch);
  };

  const server = groupFieldErrors(save.error, settingsFieldOf);
  const errorFor = (field: keyof SettingsErrors) => clientErrors[field] ?? server.fields[field];
  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <div className="grid-2">
        <Card title="Portal appearance">
          <Field
            label="Primary colour"
            error={errorFor('customColor')}
            hint="#rgb or #rrggbb. Empty: the default indigo."
          >
            {({ id, describedBy, invalid }) => (
              <div className="color-field">
                <input
                  type="color"
                  className="color-picker"
                  aria-label="Primary colour picker"
                  value={pickerValue(values.customColor)}
                  onChange={(e) => set('customColor', e.target.value)}
                />
                <input
                  id={id}
                  className="input mono"
                  value={values.customColor}
                  placeholder={DEFAULT_PRIMARY}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  onChange={(e) => set('customColor', e.target.value)}
                />
              </div>
            )}
          </Field>
          <TextField
            label="Logo URL"
            type="url"
            value={values.logoUrl}
            placeholder="https://example.com/logo.svg"
            autoComplete="off"
            spellCheck={false}
            error={errorFor('logoUrl')}
            hint="Shown in the portal's header instead of the name."
            onChange={(e) => set('logoUrl', e.target.value)}
          />
          <TextField
            label="Font family"
            value={values.customFontFamily}
            placeholder="Inter"
            autoComplete="off"
            error={errorFor('customFontFamily')}
            hint="A font the customer's browser has (or one of their page's fonts). Empty: the system font."
            onChange={(e) => set('customFontFamily', e.target.value)}
          />
          <SelectField
            label="Theme"
            value={values.theme}
            error={errorFor('theme')}
            hint="Auto follows the customer's system setting."
            onChange={(e) => set('theme', e.target.value as Theme)}
          >
            <option value="light">Light</option>
            <option value="dark">Dark</option>
            <option value="auto">Auto</option>
          </SelectField>
        </Card>
        <Card title="Preview">
          <ThemePreview values={values} />
        </Card>
      </div>
      <Card title="Embedding and retention" className="settings-card">
        <TextAreaField
          label="Allowed frame ancestors"
          value={values.frameAncestors}
          rows={4}
          spellCheck={false}
          placeholder={'https://app.example.com\nhttps://staging.example.com:8443'}
          error={errorFor('frameAncestors')}
          hint={
            <>
              Which sites may show the portal inside an &lt;iframe&gt; (the Content-Security-Policy{' '}
              <code>frame-ancestors</code> of the portal). One origin per line: <code>https://app.example.com</code>,
              without a path; <code>&apos;self&apos;</code> for this server. Empty: only this server's own pages may
              embed it; any other site's frame is blocked by the browser.
            </>
          }
          onChange={(e) => set('frameAncestors', e.target.value)}
        />
        <TextField
          label="Retention (days)"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          value={values.retentionDays}
          error={errorFor('retentionDays')}
          hint="How long new messages' payloads and response bodies are kept (1–3650). Empty: the server's HOOKRELAY_RETENTION_DAYS."
          onChange={(e) => set('retentionDays', e.target.value)}
        />
      </Card>
      <InlineError error={formLevelError(save.error, server.rest)} />
      <div className="form-actions">
        <div aria-live="polite" className="muted">
          {unchanged ? 'No changes to save.' : save.isSuccess && !save.isPending ? 'Settings saved.' : ''}
        </div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
