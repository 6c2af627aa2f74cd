import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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

describe('pageJson', () => {
  it('is the text of mapPage for pages of any size, first, middle or last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
        fc.option(fc.string({ maxLength: 12 })),
        fc.option(fc.string({ maxLength: 12 })),
        fc.boolean(),
        (data, iterator, prevIterator, done) => {
          const page = { data, iterator, prevIterator, done };
          assert.equal(
            pageJson(page, (v) => JSON.stringify(v)),
            JSON.stringify(mapPage(page, (v) => v)),
          );
        },
      ),
    );
  });
});
