import type { SecretBox } from '../../domain/secret-box.js';
import type { EndpointSecret } from '../../domain/model.js';

interface StoredSecret {
  key: string;
  expiresAt: number | null;
}

/** Opened secrets kept in memory so a claim batch does not decrypt the same endpoint's keys again. (Default cap: 10,000) */
const CACHE_LIMIT = 10_000;

/**
 * Endpoint secrets at rest: a JSON list of `{key: sealed, expiresAt}`, current secret first.
 * Callers only ever see plaintext keys.
 */
export class SecretCodec {
  private readonly opened = new Map<string, string>();

  constructor(private readonly box: SecretBox) {}

  sealKey(plaintext: string): string {
    return this.box.seal(plaintext);
  }

  encode(secrets: EndpointSecret[]): string {
    return JSON.stringify(secrets.map((s): StoredSecret => ({ key: this.box.seal(s.key), expiresAt: s.expiresAt })));
  }

  decode(json: string): EndpointSecret[] {
    return (JSON.parse(json) as StoredSecret[]).map((s) => ({ key: this.openKey(s.key), expiresAt: s.expiresAt }));
  }

  /** The stored list with its sealed keys, for rotation (which never needs the plaintext). */
  parseSealed(json: string): StoredSecret[] {
    return JSON.parse(json) as StoredSecret[];
  }

  private openKey(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.box.open(sealed);
      if (this.opened.size >= CACHE_LIMIT) this.opened.clear();
      this.opened.set(sealed, plain);
    }
    return plain;
  }
}
