import { useEffect, useRef } from 'react';

/**
 * A native <dialog> shown as a modal while `open` (the browser keeps focus inside it and Escape
 * closes it) and closed when `open` turns false. Attach the returned ref to the <dialog>.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}
