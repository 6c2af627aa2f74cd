import { useState, type FormEvent } from 'react';
import { Button } from '../shared/components/Button.js';
import { InlineError } from '../shared/components/ErrorState.js';
import { TextField } from '../shared/components/Field.js';
import { verifyAdminToken } from './verify-admin-token.js';

/**
 * The dashboard's sign-in: the admin token is checked with the server, then kept for this tab
 * only. `notice` says why the page is shown again (signed out, or the server refused the token).
 */
export function LoginPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    setError(null);
    if (!candidate) {
      setFieldError('Enter the admin token.');
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      await verifyAdminToken(candidate);
      onSignedIn(candidate);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <main className="centered">
      <div className="card login-card">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true" /> Hookrelay
        </div>
        <h1>Sign in to Hookrelay</h1>
        <p className="muted">
          The operator dashboard. Use the admin token that <code>hookrelay serve</code> printed or wrote to its data
          directory.
        </p>
        {notice ? (
          <p className="notice notice-warning" role="status">
            {notice}
          </p>
        ) : null}
        <form onSubmit={submit} noValidate>
          <TextField
            label="Admin token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            error={fieldError}
            onChange={(e) => setToken(e.target.value)}
            autoFocus
            hint="Kept in this browser tab only; closing the tab signs you out."
          />
          <InlineError error={error} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Sign in
            </Button>
          </div>
        </form>
      </div>
    </main>
  );
}
