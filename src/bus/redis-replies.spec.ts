import {
  parseEntries,
  parseRead,
  parseStreamBounds,
  UnexpectedReplyError,
} from './redis-replies.js';

/** XINFO STREAM as Redis 7 answers it, with the fields these tests vary. */
function info(fields: {
  length: number;
  added: number;
  last: string;
  deleted: string;
  first?: string;
}): unknown[] {
  const entry = (id: string) => [id, ['q', '{}']];
  return [
    'length',
    fields.length,
    'radix-tree-keys',
    1,
    'last-generated-id',
    fields.last,
    'max-deleted-entry-id',
    fields.deleted,
    'entries-added',
    fields.added,
    'recorded-first-entry-id',
    fields.first ?? '0-0',
    'groups',
    0,
    'first-entry',
    fields.first ? entry(fields.first) : null,
    'last-entry',
    fields.first ? entry(fields.last) : null,
  ];
}

describe('Redis replies', () => {
  it('bound a new stream by its origin, the deleted entry it was created with', () => {
    expect(parseStreamBounds(info({ length: 0, added: 1, last: '5-0', deleted: '5-0' }))).toEqual({
      origin: '5-0',
      floor: '5-0',
      head: '5-0',
    });
    expect(
      parseStreamBounds(info({ length: 3, added: 4, last: '7-0', deleted: '5-0', first: '5-1' })),
    ).toEqual({ origin: '5-0', floor: '5-0', head: '7-0' });
  });

  it('bound a trimmed stream by its first entry, since trimming does not move the origin', () => {
    expect(
      parseStreamBounds(
        info({ length: 100, added: 301, last: '9-0', deleted: '5-0', first: '8-3' }),
      ),
    ).toEqual({ origin: '5-0', floor: '8-3', head: '9-0' });
  });

  it('refuse a reply of another shape', () => {
    expect(() => parseStreamBounds('OK')).toThrow(UnexpectedReplyError);
    expect(() => parseStreamBounds(['length', '3'])).toThrow(UnexpectedReplyError);
  });

  it('read entries as ticks and status changes, keeping the stored JSON as their data', () => {
    const data = '{"symbol":"AAPL","price":1,"bid":1,"ask":1,"size":0,"ts":5}';
    const status = '{"symbol":"AAPL","state":"halted","reason":null,"ts":6}';
    const [tick, change] = parseEntries([
      ['5-1', ['q', data]],
      ['6-0', ['s', status]],
    ]);
    expect(tick).toEqual({
      kind: 'tick',
      id: '5-1',
      symbol: 'AAPL',
      quote: JSON.parse(data) as unknown,
      data,
    });
    expect(change).toEqual({
      kind: 'status',
      id: '6-0',
      symbol: 'AAPL',
      status: JSON.parse(status) as unknown,
      data: status,
    });
    expect(() => parseEntries([['5-1', ['origin', '1']]])).toThrow(UnexpectedReplyError);
    expect(() => parseEntries([['x', ['q', data]]])).toThrow(UnexpectedReplyError);
  });

  it('read XREAD: one stream with entries, or null when the block timed out', () => {
    expect(parseRead(null)).toEqual([]);
    expect(parseRead([['k', [['5-1', ['q', '{"symbol":"A"}']]]]]).map((t) => t.id)).toEqual([
      '5-1',
    ]);
    expect(() => parseRead(['k', []])).toThrow(UnexpectedReplyError);
  });
});
