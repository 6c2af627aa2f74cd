import { useCallback, useState } from 'react';

/**
 * useState kept in sessionStorage under `key`: a list's filters survive opening a message and
 * coming back. Stored fields are laid over `initial`, so a field added later gets its default.
 * Falls back to memory when storage is refused (sandboxed frames).
 */
export function useSessionState<T extends object>(key: string, initial: T): [T, (next: T) => void] {
  const storageKey = `hookrelay.view.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = window.sessionStorage.getItem(storageKey);
      return raw === null ? initial : { ...initial, ...(JSON.parse(raw) as T) };
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (next: T) => {
      setValue(next);
      try {
        window.sessionStorage.setItem(storageKey, JSON.stringify(next));
      } catch {
        // Memory only.
      }
    },
    [storageKey],
  );
  return [value, set];
}
