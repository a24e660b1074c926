import { describe, expect, it } from 'vitest';
import { instancesExportUrl, rowCounter } from './exports';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('rowCounter', () => {
  it('counts CSV rows after the header, whatever the chunks, a line break inside a quoted cell included', () => {
    const csv = '\uFEFFInstance,Error\r\na,"two\r\nlines"\r\nb,"say ""hi"""\r\nc,\r\n';
    for (const size of [1, 3, 7, csv.length]) {
      const counter = rowCounter('csv');
      const all = bytes(csv);
      for (let i = 0; i < all.length; i += size) counter.add(all.slice(i, i + size));
      expect(counter.rows, `chunks of ${size}`).toBe(3);
    }
  });

  it('counts no row for a CSV of the header alone, or nothing yet', () => {
    const counter = rowCounter('csv');
    expect(counter.rows).toBe(0);
    counter.add(bytes('Instance\r\n'));
    expect(counter.rows).toBe(0);
  });

  it('counts JSON rows as the lines that open an instance, split anywhere', () => {
    const json = '[\n{"id":"a","variables":{"x":"{"}},\n{"id":"b"},\n{"id":"c"}\n]\n';
    for (const size of [1, 2, 5, json.length]) {
      const counter = rowCounter('json');
      const all = bytes(json);
      for (let i = 0; i < all.length; i += size) counter.add(all.slice(i, i + size));
      expect(counter.rows, `chunks of ${size}`).toBe(3);
    }
    const empty = rowCounter('json');
    empty.add(bytes('[\n]\n'));
    expect(empty.rows).toBe(0);
  });
});

describe('instancesExportUrl', () => {
  it('sends the filters without paging, and the columns for CSV only', () => {
    const filter = { workflowID: 'w1', status: 'failed', vars: 'userID = 42', cursor: 'abc', pageSize: 50 };
    const csv = new URL(instancesExportUrl(filter, 'csv', ['id', '$userID']), 'http://x');
    expect(csv.pathname).toBe('/api/console/instances/export');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ workflowID: 'w1', status: 'failed', vars: 'userID = 42', format: 'csv', columns: 'id,$userID' });
    const json = new URL(instancesExportUrl(filter, 'json', ['id']), 'http://x');
    expect(json.searchParams.get('columns')).toBeNull();
    expect(json.searchParams.get('format')).toBe('json');
  });
});
