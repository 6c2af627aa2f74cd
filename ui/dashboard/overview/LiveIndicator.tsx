import { Badge } from '../../shared/components/Badge.js';
import { usePageVisible } from '../use-page-visible.js';

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** Whether the figures are refreshing, and when they last did. */
export function LiveIndicator({ updatedAt, failing }: { updatedAt: number; failing: boolean }) {
  const visible = usePageVisible();
  const state = failing ? (
    <Badge tone="danger">Refresh failed</Badge>
  ) : visible ? (
    <Badge tone="success">
      <span className="live-dot" aria-hidden="true" />
      Live
    </Badge>
  ) : (
    <Badge>Paused</Badge>
  );
  return (
    <div className="live-indicator">
      {state}
      {updatedAt > 0 ? (
        <span className="muted small">
          Updated <time dateTime={new Date(updatedAt).toISOString()}>{clock.format(updatedAt)}</time>
        </span>
      ) : null}
    </div>
  );
}
