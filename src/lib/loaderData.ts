/**
 * A list page's loader: its rows, plus what they are shown with (names, roles, saved views).
 * Resolves with the rows once the rest has settled as well, or `graceMs` after the rows, whichever
 * comes first. The page then renders once, complete, instead of once per answer (each a long task
 * on a phone, and a badge or a name popping in), yet never waits long for a slow extra: that part
 * fills in when it lands. A failed extra never holds the rows back (its query shows its own state).
 */
export async function rowsWithExtras<T>(rows: Promise<T>, extras: Promise<unknown>[], graceMs = 300): Promise<T> {
  const settled = Promise.allSettled(extras);
  const value = await rows;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  return value;
}
