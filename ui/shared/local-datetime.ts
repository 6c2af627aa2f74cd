/**
 * `<input type="datetime-local">` speaks local wall-clock time without a zone ("2025-01-31T14:05");
 * the API speaks ISO 8601 instants. These convert between the two in the browser's zone.
 */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a local input names, or null when it is empty or not a date. */
export function fromLocalInput(text: string): Date | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
