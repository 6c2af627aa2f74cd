export { verifyWebhook, createWebhookVerifier, type VerifyOptions, type WebhookVerifier } from './verify.js';
export { WebhookVerificationError, type VerificationFailureReason } from './webhook-verification-error.js';
export {
  readWebhookHeaders,
  type IncomingHeaders,
  type HeadersLike,
  type HeaderRecord,
  type WebhookHeaders,
} from './webhook-headers.js';
export { rejectionOf, type Rejection, type RejectionBody } from './rejection.js';
export { createDeduper, type Deduper, type DeduperOptions } from './dedupe.js';
export { createHookrelayClient, type HookrelayClient, type HookrelayClientOptions } from './client.js';
export type { components, operations, paths } from './generated/api.js';
