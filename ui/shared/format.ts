/** Display helpers: every value a page shows goes through React text, never through HTML. */

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : absolute.format(date);
}

export function formatRelative(iso: string | number | Date | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined) return '—';
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs < 45_000) return relative.format(Math.round(ms / 1000), 'second');
  if (abs < 45 * 60_000) return relative.format(Math.round(ms / 60_000), 'minute');
  if (abs < 22 * 3_600_000) return relative.format(Math.round(ms / 3_600_000), 'hour');
  return relative.format(Math.round(ms / 86_400_000), 'day');
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString();
}

export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined
    ? '—'
    : `${(ratio * 100).toFixed(ratio > 0.999 || ratio < 0.001 ? 0 : 1)} %`;
}

/** A payload or response body for display: pretty JSON when it parses, the text as is otherwise. */
export function prettyBody(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? '';
}
