/**
 * A count as the console writes it: `12,345` (en-US grouping). Written out rather than
 * `toLocaleString`: the page's first `Intl` call loads ICU's data (20–40 ms in Chromium, ×4 on a
 * slow phone), and a list's first render should not pay it for the figure under the table.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}
