import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { messageOut, messageOutJson } from './message-out.js';
import type { Message } from './model.js';

const base: Message = {
  id: 'msg_2f3kq8Vt0bQv1xYc5nZr7wAa9Lm',
  appId: 'app_2f3kq8Vt0bQv1xYc5nZr7wAa9Ln',
  seq: 7,
  eventType: 'invoice.paid',
  eventId: null,
  channels: null,
  tags: null,
  payload: '{}',
  createdAt: Date.UTC(2026, 11, 6, 3, 0, 0, 123),
  deliverAt: Date.UTC(2026, 11, 6, 3, 0, 0, 123),
  payloadExpiresAt: Date.UTC(2027, 0, 5),
} as Message;

describe('messageOutJson', () => {
  it('is the text of messageOut for any payload JSON.stringify wrote', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.option(fc.string({ maxLength: 20 })),
        fc.option(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
        fc.boolean(),
        fc.integer({ min: 0, max: 86_400_000 }),
        (payload, eventId, channels, withContent, delay) => {
          const msg = {
            ...base,
            payload: JSON.stringify(payload),
            eventId,
            channels,
            tags: channels,
            deliverAt: base.createdAt + delay,
          };
          assert.equal(messageOutJson(msg, withContent), JSON.stringify(messageOut(msg, withContent)));
        },
      ),
    );
  });

  it('answers {} for a payload expunged or left out, in the same place', () => {
    const expunged = messageOutJson({ ...base, payload: null });
    assert.equal(expunged, JSON.stringify(messageOut({ ...base, payload: null })));
    assert.deepEqual(JSON.parse(expunged).payload, {});
    const withheld = JSON.parse(messageOutJson({ ...base, payload: '{"a":1}' }, false));
    assert.deepEqual(Object.keys(withheld), [
      'id',
      'eventType',
      'eventId',
      'channels',
      'tags',
      'payload',
      'timestamp',
      'deliverAt',
    ]);
    assert.deepEqual(withheld.payload, {});
  });
});
