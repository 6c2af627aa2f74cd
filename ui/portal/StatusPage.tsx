import { useEffect, type ReactNode } from 'react';

/** A full page with one message: the portal's sign-in and signed-out states. */
export function StatusPage({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Webhooks`;
  }, [title]);
  return (
    <main className="centered">
      <div className="card login-card status-card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
