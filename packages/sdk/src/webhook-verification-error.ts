/**
 * Why a webhook was rejected. Stable codes: middleware sends them as `{code, detail}`, and
 * receivers may branch on them (e.g. log `timestamp_too_old` as a clock or replay problem).
 */
export type VerificationFailureReason =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` (or its `svix-*` twin) is absent. */
  | 'missing_header'
  /** No signature matches the body, or the signature/timestamp header is malformed. */
  | 'invalid_signature'
  /** The timestamp is more than 5 minutes in the past (a replay, or a badly skewed clock). */
  | 'timestamp_too_old'
  /** The timestamp is more than 5 minutes in the future. */
  | 'timestamp_too_new'
  /** The key given to the SDK is not a usable `whsec_` secret or `whpk_` public key. */
  | 'invalid_secret'
  /** The signature is valid but the body is not JSON (only when JSON parsing is asked for). */
  | 'invalid_payload';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  /** Same as `reason`, under the name the Hookrelay API uses for error codes. */
  readonly code: VerificationFailureReason;

  constructor(
    readonly reason: VerificationFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = reason;
  }
}
