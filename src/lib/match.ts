/** Ranking for the command palette: exact > prefix > word prefix > substring > subsequence. */
export function matchScore(query: string, text: string): number {
  const q = query.trim().toLowerCase();
  if (!q) return 1;
  const t = text.toLowerCase();
  if (t === q) return 100;
  if (t.startsWith(q)) return 80;
  if (t.split(/[\s:/_\-.]+/).some((w) => w.startsWith(q))) return 60;
  if (t.includes(q)) return 40;
  let i = 0;
  for (const ch of t) if (ch === q[i]) i++;
  return i === q.length ? 10 : 0;
}

/** Items whose best field matches, best first; stable for ties. */
export function rankItems<T>(items: readonly T[], query: string, fields: (item: T) => string[]): T[] {
  return items
    .map((item, index) => ({ item, index, score: Math.max(0, ...fields(item).map((f) => matchScore(query, f))) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.item);
}
