/**
 * CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote or a line break)
 * that is safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is prefixed with `'`, so that it is shown as text instead of being run as a
 * formula (CSV injection). A negative number then reads `'-5`: the price of never running one.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A byte order mark first: spreadsheets then read the file as UTF-8. */
export const CSV_BOM = '\uFEFF';
