/**
 * Said under a list the console read page after page from a Formance stack when the reading was
 * not clean: upstream Flows sorts none of its lists and pages them by offset, so rows that change
 * while the pages are read can come twice or never (see api/walk.ts).
 */
export function ListMovedNote({ repeated, changed, noun }: { repeated: number; changed?: boolean; noun: string }) {
  if (!repeated && !changed) return null;
  const parts = [
    repeated ? `${repeated} ${repeated === 1 ? noun.replace(/s$/, '') : noun} came twice between pages (shown once)` : '',
    changed ? 'the list changed while it was read' : '',
  ].filter(Boolean);
  return (
    <p
      role="status"
      data-testid="list-moved"
      className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200"
    >
      The stack keeps no order between pages: {parts.join(', and ')}, so some {noun} may be missing here. Reload to read the list again.
    </p>
  );
}
