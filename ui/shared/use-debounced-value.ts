import { useEffect, useState } from 'react';

/**
 * `value`, once it has stopped changing for `delayMs` (Default: 300): a typed filter or search
 * asks the server once per pause, not once per key.
 */
export function useDebouncedValue<T>(value: T, delayMs = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
