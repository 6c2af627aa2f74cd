import type { Capability } from '../domain/capabilities.js';
import type { TokenKind } from '../store/store.js';

/** Who made a request, as authentication (auth.ts) found it; what rate limits (rate-limits.ts) count by. */
export type Principal =
  | { kind: 'admin'; tokenId: string | null; expiresAt?: number | null }
  | {
      kind: 'app';
      tokenId: string;
      appId: string;
      tokenKind: TokenKind;
      /** null = minted without a list: every capability. */
      capabilities: Capability[] | null;
      sessionId: string | null;
      expiresAt: number | null;
    };
