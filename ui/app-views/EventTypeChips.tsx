import { Badge } from '../shared/components/Badge.js';

const SHOWN = 3;

/** An endpoint's event filter in a table cell: the first few names, then how many more. */
export function EventTypeChips({ filterTypes }: { filterTypes: string[] | null }) {
  if (!filterTypes || filterTypes.length === 0) return <span className="muted">All event types</span>;
  const rest = filterTypes.length - SHOWN;
  return (
    <span className="chips">
      {filterTypes.slice(0, SHOWN).map((name) => (
        <Badge key={name}>
          <span className="mono">{name}</span>
        </Badge>
      ))}
      {rest > 0 ? <Badge>+{rest} more</Badge> : null}
    </span>
  );
}
