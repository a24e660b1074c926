import { describe, expect, it } from 'vitest';

// Every date the console shows goes through lib/time.ts (and <Time> over it), so that the time
// setting (relative or absolute, the zone) applies everywhere: no other file formats dates with
// the browser's own date APIs.
const sources = import.meta.glob<string>(['/src/**/*.{ts,tsx}', '!/src/**/*.test.{ts,tsx}', '!/src/lib/time.ts', '!/src/api/generated/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const DATE_FORMATTING =
  /toLocale(?:Date|Time)String\(|getTimezoneOffset\(|\.get(?:UTC)?(?:Hours|Minutes|Seconds|Date|Month|FullYear)\(|timeZoneName|new Intl\.DateTimeFormat\((?!\)\.resolvedOptions)/;

describe('one date formatter', () => {
  it('no file but lib/time.ts formats a date itself', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const offenders = Object.entries(sources).flatMap(([path, text]) =>
      text.split('\n').flatMap((line, n) => (DATE_FORMATTING.test(line) ? [`${path}:${n + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
