import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { ed25519PublicKey, generateSecret, publicKeyOf } from '../domain/endpoint-secret.js';
import { activeSecrets, signatureHeaders } from './signer.js';

const body = JSON.stringify({ type: 'user.created', data: { id: 'u_1', name: 'Zoë ✓' } });
const msgId = 'msg_2abcDEF';

describe('signatureHeaders', () => {
  it('matches the standardwebhooks reference signature for a whsec_ secret', () => {
    const secret = generateSecret();
    const ts = 1_700_000_000;
    const h = signatureHeaders(msgId, ts, body, [secret]);
    assert.equal(h['webhook-id'], msgId);
    assert.equal(h['webhook-timestamp'], '1700000000');
    assert.equal(h['webhook-signature'], new StandardWebhook(secret).sign(msgId, new Date(ts * 1000), body));
    assert.equal(h['svix-signature'], undefined);
  });

  it('verifies with standardwebhooks and svix (now-ish timestamp)', () => {
    const secret = generateSecret();
    const h = signatureHeaders(msgId, Date.now() / 1000, body, [secret], { svixHeaders: true });
    assert.deepEqual(new StandardWebhook(secret).verify(body, h), JSON.parse(body));
    assert.deepEqual(
      new SvixWebhook(secret).verify(body, {
        'svix-id': h['svix-id'],
        'svix-timestamp': h['svix-timestamp'],
        'svix-signature': h['svix-signature'],
      }),
      JSON.parse(body),
    );
    assert.equal(h['svix-id'], msgId);
  });

  it('refuses a tampered body (the signature covers the exact bytes)', () => {
    const secret = generateSecret();
    const h = signatureHeaders(msgId, Date.now() / 1000, body, [secret]);
    assert.throws(() => new StandardWebhook(secret).verify(body + ' ', h));
  });

  it('space-separates one signature per active secret; either secret verifies', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const h = signatureHeaders(msgId, Date.now() / 1000, body, [newSecret, oldSecret]);
    const parts = h['webhook-signature'].split(' ');
    assert.equal(parts.length, 2);
    assert.ok(parts.every((p) => p.startsWith('v1,')));
    new StandardWebhook(oldSecret).verify(body, h);
    new StandardWebhook(newSecret).verify(body, h);
    assert.throws(() => new StandardWebhook(generateSecret()).verify(body, h));
  });

  it('signs v1a with ed25519 keys, verifiable with the whpk_ public key', () => {
    const secret = generateSecret('ed25519');
    const ts = Math.floor(Date.now() / 1000);
    const h = signatureHeaders(msgId, ts, body, [secret]);
    assert.match(h['webhook-signature'], /^v1a,[A-Za-z0-9+/]+=*$/);
    const sig = Buffer.from(h['webhook-signature'].slice(4), 'base64');
    const key = ed25519PublicKey(publicKeyOf(secret));
    assert.equal(verify(null, Buffer.from(`${msgId}.${ts}.${body}`), key, sig), true);
    assert.equal(verify(null, Buffer.from(`${msgId}.${ts}.${body}x`), key, sig), false);
  });
});

describe('activeSecrets', () => {
  it('keeps the current secret and unexpired rotated ones, in order', () => {
    const now = 1_000_000;
    assert.deepEqual(
      activeSecrets(
        [
          { key: 'whsec_new', expiresAt: null },
          { key: 'whsec_grace', expiresAt: now + 1 },
          { key: 'whsec_gone', expiresAt: now },
        ],
        now,
      ),
      ['whsec_new', 'whsec_grace'],
    );
  });
});
