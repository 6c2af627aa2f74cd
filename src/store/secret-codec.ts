import type { EndpointSecret } from '../domain/model.js';
import type { SecretBox } from '../domain/secret-box.js';
import { memoize } from '../memoize.js';

/** A secret as stored in `endpoints.secrets` (jsonb on PostgreSQL, JSON text on SQLite): the key sealed by the SecretBox. */
export interface StoredSecret {
  key: string;
  expiresAt: number | null;
}

/** Opened keys kept in memory so claim batches do not decrypt the same endpoint again and again. (Default cap: 10,000) */
const CACHE_LIMIT = 10_000;

/** Endpoint secrets at rest, for both adapters: sealed before every write, opened on every read. Callers only see plaintext. */
export class SecretCodec {
  private readonly openKey: (sealed: string) => string;

  constructor(private readonly box: SecretBox) {
    this.openKey = memoize((sealed) => box.open(sealed), CACHE_LIMIT);
  }

  seal(secrets: EndpointSecret[]): StoredSecret[] {
    return secrets.map((s) => ({ key: this.box.seal(s.key), expiresAt: s.expiresAt }));
  }

  sealKey(plaintext: string): string {
    return this.box.seal(plaintext);
  }

  open(stored: StoredSecret[]): EndpointSecret[] {
    return stored.map((s) => ({ key: this.openKey(s.key), expiresAt: s.expiresAt }));
  }
}
