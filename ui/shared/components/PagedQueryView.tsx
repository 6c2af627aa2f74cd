import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Pages } from '../use-pages.js';
import { Pager } from './Pager.js';
import { QueryView } from './QueryView.js';

/** One page of a Svix list: its items, whether it is the last, and the cursor of the next. */
export interface ListPage<T> {
  data: T[];
  done: boolean;
  iterator?: string | null;
}

/**
 * A QueryView of one page of a Svix list, with the Pager under `children`. `empty` shows only
 * when the first page has no items: a later page that comes back empty still offers "Previous".
 */
export function PagedQueryView<T>({
  query,
  pages,
  loadingLabel,
  empty,
  children,
}: {
  query: UseQueryResult<ListPage<T>, unknown>;
  pages: Pages;
  loadingLabel: string;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <QueryView
      query={query}
      loadingLabel={loadingLabel}
      empty={empty}
      isEmpty={(page) => page.data.length === 0 && pages.pageNumber === 1}
    >
      {(page) => (
        <>
          {children(page.data)}
          <Pager
            hasPrevious={pages.hasPrevious}
            hasNext={!page.done}
            busy={query.isFetching}
            onPrevious={pages.previous}
            onNext={() => pages.next(page.iterator)}
          />
        </>
      )}
    </QueryView>
  );
}
