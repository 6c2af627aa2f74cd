import type { AppId } from '../ids.js';
import type { CreateMessageResult } from './store.js';

/**
 * What a committed ingest batch tells its listeners: the apps that got messages (pull readers),
 * and whether the worker has rows to claim: the batch queued more deliveries than were claimed
 * with it (createMessagesAndClaim; a full claim wakes the worker itself).
 */
export function ingestNews(results: CreateMessageResult[], claimed: number): { appIds: Set<AppId>; work: boolean } {
  const appIds = new Set<AppId>();
  let queued = 0;
  for (const r of results) {
    if (!r.ok) continue;
    appIds.add(r.message.appId);
    queued += r.deliveryCount;
  }
  return { appIds, work: queued > claimed };
}
