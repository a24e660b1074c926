/** Text that must fit: a long name (hundreds of characters, no spaces) never widens a control. */

/** At most `max` characters, with an ellipsis when cut (for <option>s, which cannot truncate by CSS). */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Classes of a name in a table cell or a header row: one line, cut with an ellipsis at a width
 * that leaves room for the other columns; the full text goes in `title` (and on the detail page).
 */
export const clippedName = 'block max-w-[min(28rem,60vw)] truncate';
