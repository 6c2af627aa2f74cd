/** Keyset pages (keyset-pagination.ts): what a list call asks for and what it answers. */

export type Order = 'ascending' | 'descending';

export interface PageQuery {
  limit: number;
  /** Opaque cursor from a previous page: the last item's ID; `-<id>` walks backwards (prevIterator). */
  iterator: string | null;
  order: Order;
}

export interface Page<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}
