/** Epoch milliseconds as the API writes every time: ISO 8601 in UTC, to the millisecond. */
export const iso = (ms: number): string => new Date(ms).toISOString();
