import { describe, expect, it } from 'vitest';
import { rowsToVars, varRowProblems, varsToRows } from './vars';

describe('vars rows', () => {
  it('round-trips a map through rows, keeping the order', () => {
    const vars = { txid: 'event.transactions[0].id', account: 'event.transactions[0].postings[0].destination' };
    const rows = varsToRows(vars);
    expect(rows).toEqual([
      { name: 'txid', expression: 'event.transactions[0].id' },
      { name: 'account', expression: 'event.transactions[0].postings[0].destination' },
    ]);
    expect(rowsToVars(rows)).toEqual(vars);
    expect(Object.keys(rowsToVars(rows)!)).toEqual(['txid', 'account']);
  });

  it('has no rows for no vars, and no vars for blank rows', () => {
    expect(varsToRows(undefined)).toEqual([]);
    expect(varsToRows(null)).toEqual([]);
    expect(rowsToVars([])).toBeUndefined();
    expect(rowsToVars([{ name: '  ', expression: '' }])).toBeUndefined();
  });

  it('trims names but keeps expressions as written', () => {
    expect(rowsToVars([{ name: ' amount ', expression: 'event.amount ?? 0\n' }])).toEqual({ amount: 'event.amount ?? 0\n' });
  });

  it('shows non-string values of old triggers as JSON', () => {
    expect(varsToRows({ n: 42 })).toEqual([{ name: 'n', expression: '42' }]);
  });

  it('reports missing names, duplicates, bad characters and empty expressions per row', () => {
    const problems = varRowProblems([
      { name: 'a', expression: 'event.a' },
      { name: '', expression: 'event.b' },
      { name: 'c', expression: ' ' },
      { name: 'd', expression: 'event.d' },
      { name: 'd ', expression: 'event.e' },
      { name: 'my var', expression: 'event.f' },
      { name: '', expression: '' },
    ]);
    expect(problems[0]).toBeUndefined();
    expect(problems[1]?.name).toMatch(/Name the variable/);
    expect(problems[2]).toEqual({ expression: expect.stringMatching(/Write an expression/) });
    expect(problems[3]?.name).toMatch(/used twice/);
    expect(problems[4]?.name).toMatch(/used twice/);
    expect(problems[5]?.name).toMatch(/No spaces/);
    expect(problems[6]).toBeUndefined();
  });
});
