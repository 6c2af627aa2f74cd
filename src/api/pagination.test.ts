import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { messageOut, messageOutJson } from '../domain/message-out.js';
import type { Message } from '../domain/model.js';
import { idIterator, mapPage, nameIterator, pageJson, pageQuery } from './pagination.js';

describe('pageQuery', () => {
  it("applies defaults: limit 50, no iterator, the resource's order", () => {
    assert.deepEqual(pageQuery({}, idIterator('message'), 'descending'), {
      limit: 50,
      iterator: null,
      order: 'descending',
    });
    assert.deepEqual(pageQuery({ iterator: '' }, idIterator('message'), 'ascending').iterator, null);
  });

  it('accepts IDs of the right kind, forwards and backwards', () => {
    assert.equal(pageQuery({ iterator: 'msg_2XyZ09' }, idIterator('message'), 'descending').iterator, 'msg_2XyZ09');
    assert.equal(
      pageQuery({ iterator: '-msg_2XyZ09', limit: 10, order: 'ascending' }, idIterator('message'), 'descending')
        .iterator,
      '-msg_2XyZ09',
    );
    assert.equal(pageQuery({ iterator: 'user.signup' }, nameIterator, 'ascending').iterator, 'user.signup');
  });

  it('refuses iterators it could not have issued with 400 invalid_iterator', () => {
    for (const iterator of ['app_2XyZ', 'msg_', '-', '--msg_1', 'msg_12 OR 1=1', 'msg_' + 'a'.repeat(100)]) {
      assert.throws(
        () => pageQuery({ iterator }, idIterator('message'), 'descending'),
        (e: { status: number; code: string }) => e.status === 400 && e.code === 'invalid_iterator',
        iterator,
      );
    }
    assert.throws(() => pageQuery({ iterator: 'has space' }, nameIterator, 'ascending'), /Invalid iterator/);
  });
});

const message = {
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

describe('pageJson', () => {
  it('is the text of mapPage for pages of any size, first, middle or last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }),
        fc.option(fc.string({ maxLength: 12 })),
        fc.option(fc.string({ maxLength: 12 })),
        fc.boolean(),
        (payloads, iterator, prevIterator, done) => {
          const page = {
            data: payloads.map((p) => ({ ...message, payload: JSON.stringify(p) })),
            iterator,
            prevIterator,
            done,
          };
          assert.equal(
            pageJson(page, (m) => messageOutJson(m)),
            JSON.stringify(mapPage(page, (m) => messageOut(m))),
          );
        },
      ),
    );
  });
});
