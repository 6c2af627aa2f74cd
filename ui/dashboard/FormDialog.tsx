import { useId, type FormEvent, type ReactNode } from 'react';
import { Button } from '../shared/components/Button.js';
import { useModalDialog } from '../shared/use-modal-dialog.js';

/**
 * A modal form on the native <dialog> (focus kept inside, Escape closes), like ConfirmDialog
 * but a real <form>: Enter in a field submits it.
 */
export function FormDialog({
  open,
  title,
  submitLabel,
  busy,
  onSubmit,
  onClose,
  children,
  wide,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  busy?: boolean;
  wide?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useModalDialog(open);
  const titleId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={onClose}
    >
      {open ? (
        <form onSubmit={submit} noValidate>
          <h2 id={titleId}>{title}</h2>
          <div className="dialog-body">{children}</div>
          <div className="dialog-actions">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={busy}>
              {submitLabel}
            </Button>
          </div>
        </form>
      ) : (
        <h2 id={titleId} className="visually-hidden">
          {title}
        </h2>
      )}
    </dialog>
  );
}
