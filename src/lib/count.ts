/**
 * A count as the console writes it: `12,345` (en-US grouping). Written out rather than
 * `toLocaleString`: the page's first `Intl` call loads ICU's data (20–40 ms in Chromium, ×4 on a
 * slow phone), and a list's first render should not pay it for the figure under the table.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const grouped = groupDigits(String(Math.abs(n)));
  return n < 0 ? `-${grouped}` : grouped;
}

/** A run of digits with a comma every three from the right (`1234567` → `1,234,567`); counts and amounts alike. */
export function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
