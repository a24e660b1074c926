/**
 * The Instances page's description, shared by the page and its pending state (which the route
 * file holds, so the header paints before the list's code and data arrive: keep this module small).
 */
export function instancesDescription({
  consoleFilters,
  newestFirst,
  sortedBy,
}: {
  consoleFilters: boolean;
  newestFirst: boolean;
  sortedBy?: { label: string; desc: boolean };
}): string {
  return consoleFilters && sortedBy
    ? `Runs of workflows, sorted by ${sortedBy.label} (${sortedBy.desc ? 'descending' : 'ascending'}) on the server. Open one for its timeline, stages and actions.`
    : `Runs of workflows, ${consoleFilters ? `${newestFirst ? 'newest' : 'oldest'} first` : 'in the stack’s order'}. Open one for its timeline, stages and actions.`;
}
