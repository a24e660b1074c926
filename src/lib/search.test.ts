import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { pageSearch, refreshParam, textParam } from './search';

const schema = z.object({ q: textParam, refresh: refreshParam, ...pageSearch });

describe('search params', () => {
  it('makes a bare URL valid with defaults', () => {
    expect(schema.parse({})).toEqual({ pageSize: 15, refresh: 0 });
  });

  it('falls back to defaults on garbage instead of failing the page', () => {
    expect(schema.parse({ pageSize: 5000, refresh: 7, sort: 'x;drop', cursor: 3 })).toEqual({ pageSize: 15, refresh: 0 });
  });

  it('keeps valid values and numbers typed into text filters', () => {
    expect(schema.parse({ q: 123, pageSize: 50, sort: 'createdAt:desc', cursor: 'abc', refresh: 5 })).toEqual({
      q: '123',
      pageSize: 50,
      sort: 'createdAt:desc',
      cursor: 'abc',
      refresh: 5,
    });
  });
});
