/**
 * `compute` remembered by its string argument, for values that are costly to derive and asked
 * for again and again (an endpoint's parsed URL, its decoded signing key). The memo forgets
 * everything once it holds `maxEntries`, so a stream of distinct keys cannot grow it without
 * bound; `compute` must be pure.
 */
export function memoize<T>(compute: (key: string) => T, maxEntries = 1000): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      if (memo.size >= maxEntries) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
}
