/** The first non-empty line of a response body, shortened: enough to tell one failure from another. */
export function firstLine(body: string | null | undefined, max = 160): string {
  if (!body) return '';
  const line =
    body
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
