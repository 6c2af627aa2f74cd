export type Tone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: React.ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Svix's message status numbers: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled. */
const STATUS: Record<number, { label: string; tone: Tone }> = {
  0: { label: 'Succeeded', tone: 'success' },
  1: { label: 'Pending', tone: 'info' },
  2: { label: 'Failed', tone: 'danger' },
  3: { label: 'Sending', tone: 'warning' },
  4: { label: 'Canceled', tone: 'neutral' },
};

export function StatusBadge({ status }: { status: number }) {
  const known = STATUS[status] ?? { label: `Status ${status}`, tone: 'neutral' as Tone };
  return <Badge tone={known.tone}>{known.label}</Badge>;
}

export function HttpStatusBadge({ code }: { code: number }) {
  const tone: Tone = code === 0 ? 'danger' : code < 300 ? 'success' : code < 500 ? 'warning' : 'danger';
  return <Badge tone={tone}>{code === 0 ? 'No response' : code}</Badge>;
}
