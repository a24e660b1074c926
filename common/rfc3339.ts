/**
 * RFC 3339 dates with a zone (`2024-07-01T00:00:00Z`, `…T02:00:00.5+02:00`; a space or a lower
 * case `t` may separate date and time, as the RFC allows). Shared by the server (stage fields,
 * list filters, sandbox bodies) and the console's forms, so both accept the same text.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The date, or null when the text is not an RFC 3339 date with a zone (or no real date). */
export function parseRfc3339(text: string): Date | null {
  if (!RFC3339.test(text)) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}
