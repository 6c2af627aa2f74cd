import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hmacSigner, nowSeconds, signedHeaders, type Signer } from './sign.js';

/**
 * The cases every framework middleware must pass, run by each framework's test file against
 * a real server on 127.0.0.1 port 0. `start` mounts the middleware on POST /webhook with a
 * handler that records what it received and answers 200 `{ok: true}`.
 */
export interface StartedApp {
  url: string;
  /** Payloads (and webhook ids) the handler saw, in order. */
  received: Array<{ payload: unknown; webhookId: unknown }>;
  close(): Promise<void>;
}

export type StartApp = (secret: string) => Promise<StartedApp>;

export function runMiddlewareCases(name: string, start: StartApp): void {
  describe(`${name}: shared middleware cases`, () => {
    const signer: Signer = hmacSigner();
    let app: StartedApp;
    before(async () => {
      app = await start(signer.verificationKey);
    });
    after(() => app.close());

    const event = { type: 'invoice.paid', data: { id: 'in_1', amount: 4200 } };
    const body = JSON.stringify(event);

    async function post(text: string, headers: Record<string, string>) {
      const response = await fetch(`${app.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    }

    async function expectRejected(text: string, headers: Record<string, string>, code: string) {
      const before = app.received.length;
      const { status, json } = await post(text, headers);
      assert.equal(status, 401);
      assert.equal(json.code, code);
      assert.equal(typeof json.detail, 'string');
      assert.equal(app.received.length, before, 'the handler must not run');
    }

    test('a valid delivery reaches the handler with the parsed payload and webhook id', async () => {
      const headers = signedHeaders(signer, body, { id: 'msg_valid1' });
      const { status, json } = await post(body, headers);
      assert.equal(status, 200);
      assert.deepEqual(json, { ok: true });
      assert.deepEqual(app.received.at(-1), { payload: event, webhookId: 'msg_valid1' });
    });

    test('whitespace the sender chose is part of what is signed (raw body, not re-serialised JSON)', async () => {
      const spaced = JSON.stringify(event, null, 2);
      const { status } = await post(spaced, signedHeaders(signer, spaced));
      assert.equal(status, 200);
      assert.deepEqual(app.received.at(-1)?.payload, event);
    });

    test('a tampered body: 401 invalid_signature', async () => {
      await expectRejected(body.replace('4200', '1'), signedHeaders(signer, body), 'invalid_signature');
    });

    test('an old timestamp: 401 timestamp_too_old', async () => {
      await expectRejected(
        body,
        signedHeaders(signer, body, { timestamp: nowSeconds() - 10 * 60 }),
        'timestamp_too_old',
      );
    });

    test('another secret: 401 invalid_signature', async () => {
      await expectRejected(body, signedHeaders(hmacSigner(), body), 'invalid_signature');
    });

    test('a missing signature header: 401 missing_header', async () => {
      const { 'webhook-signature': _dropped, ...headers } = signedHeaders(signer, body);
      await expectRejected(body, headers, 'missing_header');
    });
  });
}
