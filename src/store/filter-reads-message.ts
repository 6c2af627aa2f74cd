import type { MessageFilter } from './store.js';

/**
 * Whether a MessageFilter reads the message row: lists of delivery rows and attempts join
 * messages only then, so an unfiltered page reads its own table and nothing else. `timesOnMessage`:
 * `before`/`after` compare the message's `created_at` (an endpoint's messages) rather than the
 * listed row's own (attempts).
 */
export function filterReadsMessage(f: MessageFilter, timesOnMessage: boolean): boolean {
  return (
    (f.eventTypes !== undefined && f.eventTypes.length > 0) ||
    f.channel !== undefined ||
    f.tag !== undefined ||
    (timesOnMessage && (f.before !== undefined || f.after !== undefined))
  );
}
