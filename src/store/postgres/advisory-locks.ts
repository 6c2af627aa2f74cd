/** Advisory lock keys every process agrees on; "hkr" in hex keeps them apart from other applications'. */
export const LOCK_MIGRATE = 0x686b72_0001;
/** Held from seq assignment to commit of each message insert — see migrations/0001-initial.ts. */
export const LOCK_MESSAGE_SEQ = 0x686b72_0002;
/** Serialises claims so the per-endpoint lease cap holds across processes (outbox-claim.ts). */
export const LOCK_CLAIM = 0x686b72_0003;
/**
 * The classid of ordering keys' locks, apart from the bigint keys above; the objid is a hash of
 * (endpoint, key), where a collision only makes two keys wait for each other.
 */
export const LOCK_ORDER_CLASS = 0x686b72;
