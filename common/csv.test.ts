import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.js';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rhere', ''])).toBe('a,"b,c","say ""hi""","two\nlines","cr\rhere",\r\n');
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    for (const danger of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")']) {
      const cell = csvCell(danger);
      expect(cell.replace(/^"/, '').startsWith("'"), cell).toBe(true);
    }
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('42')).toBe('42');
  });
});
