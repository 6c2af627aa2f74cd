import { Button } from './Button.js';

/** Svix list pagination: next page by `iterator`, back through the pages already seen. */
export function Pager({
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  busy,
}: {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  busy?: boolean;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pagination">
      <Button size="sm" onClick={onPrevious} disabled={!hasPrevious || busy}>
        Previous
      </Button>
      <Button size="sm" onClick={onNext} disabled={!hasNext || busy}>
        Next
      </Button>
    </nav>
  );
}
