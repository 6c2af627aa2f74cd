/**
 * Advisory lock keys (one bigint namespace per database). Fixed numbers so every process
 * agrees; "hookrelay" in ASCII-ish hex keeps them apart from other applications' keys.
 */
export const LOCK_MIGRATE = 0x686b72_0001;
/** Held from seq assignment to commit of each message insert — see migrations/0001-initial.ts. */
export const LOCK_MESSAGE_SEQ = 0x686b72_0002;
/** Serialises claims so the per-endpoint lease cap holds across processes (outbox-claim.ts). */
export const LOCK_CLAIM = 0x686b72_0003;
/**
 * The two-int namespace (classid, objid) of ordering keys: one lock per (endpoint, key), objid a
 * hash of both (a collision only serialises two keys). Kept apart from the bigint keys above.
 */
export const LOCK_ORDER_CLASS = 0x686b72;
