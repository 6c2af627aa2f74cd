/**
 * Why a delivery failed, and whose fault that is. An **endpoint** fault is the receiver's side:
 * its HTTP answer, a timeout, a refused or reset connection, DNS, TLS, or the endpoint being
 * disabled. A **platform** fault is ours or the operator's: the SSRF guard blocked the address,
 * or the payload expired (retention) before it could be sent.
 * Dead letters are filtered and re-sent by class; `message.attempt.exhausted` carries both.
 */
export const FAILURE_REASONS = {
  http_status: 'endpoint',
  timeout: 'endpoint',
  connection: 'endpoint',
  dns: 'endpoint',
  tls: 'endpoint',
  endpoint_disabled: 'endpoint',
  /** An operator skipped it, the head of an ordering key that could not get through. */
  skipped: 'endpoint',
  blocked: 'platform',
  payload_expired: 'platform',
} as const;

export type FailureReason = keyof typeof FAILURE_REASONS;
export type ReasonClass = (typeof FAILURE_REASONS)[FailureReason];
export const REASON_CLASSES: readonly ReasonClass[] = ['endpoint', 'platform'];

export const reasonClassOf = (reason: FailureReason): ReasonClass => FAILURE_REASONS[reason];

export const reasonsOfClass = (cls: ReasonClass): FailureReason[] =>
  (Object.keys(FAILURE_REASONS) as FailureReason[]).filter((r) => FAILURE_REASONS[r] === cls);

/**
 * The reason of a failed request as the sender reported it: a status code, or (0) its error text
 * — 'timeout', 'blocked: …', 'dns: …', 'tls: …', or a connection error.
 */
export function failureReasonOf(statusCode: number, error: string): FailureReason {
  if (statusCode > 0) return 'http_status';
  if (error === 'timeout') return 'timeout';
  if (error.startsWith('blocked')) return 'blocked';
  if (error.startsWith('dns:')) return 'dns';
  if (error.startsWith('tls:')) return 'tls';
  return 'connection';
}
