import { describe, expect, it } from 'vitest';
import { pageSearch, refreshParam, textParam, utcTime, v } from './search';

const schema = v.object({ q: textParam, refresh: refreshParam, ...pageSearch });

describe('search params', () => {
  it('makes a bare URL valid with defaults', () => {
    expect(v.parse(schema, {})).toEqual({ pageSize: 15, refresh: 0 });
  });

  it('falls back to defaults on garbage instead of failing the page', () => {
    expect(v.parse(schema, { pageSize: 5000, refresh: 7, sort: 'x;drop', cursor: 3 })).toEqual({ pageSize: 15, refresh: 0 });
  });

  it('keeps valid values and numbers typed into text filters', () => {
    expect(v.parse(schema, { q: 123, pageSize: 50, sort: 'createdAt:desc', cursor: 'abc', refresh: 5 })).toEqual({
      q: '123',
      pageSize: 50,
      sort: 'createdAt:desc',
      cursor: 'abc',
      refresh: 5,
    });
  });

  it('takes UTC times as toISOString() writes them, nothing else', () => {
    expect(v.is(utcTime, '2026-12-06T17:00:00.000Z')).toBe(true);
    expect(v.is(utcTime, '2026-12-06T17:00:00Z')).toBe(true);
    for (const bad of ['2026-12-06', '2026-12-06T17:00Z', '2026-12-06T17:00:00+01:00', '2026-13-06T17:00:00Z', 'yesterday']) expect(v.is(utcTime, bad)).toBe(false);
  });
});
