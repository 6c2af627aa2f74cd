import type { Endpoint } from '../domain/model.js';
import type { Sender } from './sender.js';

/**
 * The CloudEvents webhook abuse-protection handshake (CloudEvents "HTTP 1.1 Web Hooks" §4):
 * before the first delivery to an endpoint that asks for it, send
 * `OPTIONS` with `WebHook-Request-Origin: <us>`; the receiver must answer 2xx with
 * `WebHook-Allowed-Origin` equal to our origin or `*`. A success is remembered per endpoint
 * and URL (a changed URL asks again); a refusal is not, so the next attempt asks again.
 */

export type HandshakeResult = { ok: true } | { ok: false; statusCode: number; reason: string; durationMs: number };

export class CloudEventsHandshake {
  private readonly approved = new Set<string>();
  /** Handshakes in progress: concurrent deliveries to one endpoint share one OPTIONS request. */
  private readonly inProgress = new Map<string, Promise<HandshakeResult>>();

  /** `origin`: a DNS name that identifies this sender (Default: 'hookrelay'). */
  constructor(
    private readonly sender: Sender,
    private readonly origin = 'hookrelay',
  ) {}

  isApproved(endpoint: Pick<Endpoint, 'id' | 'url'>): boolean {
    return this.approved.has(`${endpoint.id} ${endpoint.url}`);
  }

  async ensure(endpoint: Pick<Endpoint, 'id' | 'url' | 'cloudEventsHandshake'>): Promise<HandshakeResult> {
    if (!endpoint.cloudEventsHandshake || this.isApproved(endpoint)) return { ok: true };
    const key = `${endpoint.id} ${endpoint.url}`;
    let pending = this.inProgress.get(key);
    if (!pending) {
      pending = this.ask(endpoint, key).finally(() => this.inProgress.delete(key));
      this.inProgress.set(key, pending);
    }
    return pending;
  }

  private async ask(endpoint: Pick<Endpoint, 'url'>, key: string): Promise<HandshakeResult> {
    const res = await this.sender.send({
      url: endpoint.url,
      method: 'OPTIONS',
      headers: { 'webhook-request-origin': this.origin },
      body: null,
    });
    if (res.kind === 'error')
      return { ok: false, statusCode: 0, reason: `cloudevents handshake: ${res.error}`, durationMs: res.durationMs };
    const allowed = res.headers['webhook-allowed-origin'];
    if (res.statusCode >= 200 && res.statusCode < 300 && (allowed === '*' || allowed === this.origin)) {
      this.approved.add(key);
      return { ok: true };
    }
    return {
      ok: false,
      statusCode: res.statusCode,
      reason: `cloudevents handshake refused: status ${res.statusCode}, WebHook-Allowed-Origin ${allowed === undefined ? 'missing' : `'${allowed}'`}`,
      durationMs: res.durationMs,
    };
  }
}
