import { listJson } from '../domain/message-out.js';
import { BadRequestError } from '../errors.js';
import { ID_PREFIXES, type IdKind } from '../ids.js';
import type { Order, Page, PageQuery } from '../store/store.js';

/**
 * Svix pagination: `limit` (1–250, Default: 50), `iterator` (the previous page's `iterator`, or
 * `prevIterator` = `-<id>` to walk back), `order`. An iterator we could not have issued is a
 * 400 `invalid_iterator` here, before it reaches the store.
 */
export const DEFAULT_LIMIT = 50;

export interface PageParams {
  limit?: number;
  iterator?: string | null;
  order?: Order;
}

export type IteratorCheck = (cursor: string) => boolean;

/** Iterators that are IDs of one kind: `app_2Xy...` or `-app_2Xy...`. */
export function idIterator(kind: IdKind): IteratorCheck {
  const re = new RegExp(`^${ID_PREFIXES[kind]}[0-9A-Za-z]{1,64}$`);
  return (cursor) => re.test(cursor);
}

/** Event types page by name. */
export const nameIterator: IteratorCheck = (cursor) => /^[a-zA-Z0-9\-_.]{1,256}$/.test(cursor);

export function pageQuery(params: PageParams, check: IteratorCheck, defaultOrder: Order): PageQuery {
  let iterator = params.iterator ?? null;
  if (iterator === '') iterator = null;
  if (iterator !== null) {
    const cursor = iterator.startsWith('-') ? iterator.slice(1) : iterator;
    if (!check(cursor))
      throw new BadRequestError(
        `Invalid iterator '${iterator.slice(0, 80)}': pass the iterator or prevIterator of a previous page.`,
        'invalid_iterator',
      );
  }
  return { limit: params.limit ?? DEFAULT_LIMIT, iterator, order: params.order ?? defaultOrder };
}

export function mapPage<T, U>(page: Page<T>, fn: (item: T) => U): Page<U> {
  return { data: page.data.map(fn), iterator: page.iterator, prevIterator: page.prevIterator, done: page.done };
}

/** `JSON.stringify(mapPage(page, …))` with each item already JSON text (`itemJson`). */
export function pageJson<T>(page: Page<T>, itemJson: (item: T) => string): string {
  return listJson(page.data.map(itemJson), {
    iterator: page.iterator,
    prevIterator: page.prevIterator,
    done: page.done,
  });
}
