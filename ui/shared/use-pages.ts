import { useCallback, useState } from 'react';

/**
 * Svix-style pagination state: the iterator of the page shown and those before it, so
 * "Previous" returns exactly to the page seen before (iterators are opaque cursors).
 */
export function usePages() {
  const [stack, setStack] = useState<Array<string | null>>([null]);
  const iterator = stack[stack.length - 1];
  const next = useCallback((nextIterator: string | null | undefined) => {
    if (nextIterator) setStack((s) => [...s, nextIterator]);
  }, []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return { iterator, hasPrevious: stack.length > 1, next, previous, reset, pageNumber: stack.length };
}

export type Pages = ReturnType<typeof usePages>;
