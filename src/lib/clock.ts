/**
 * The server's clock, as seen from the browser. Times on the page come from the server ("last
 * change", "started", "next try"); comparing them with a browser clock a few seconds behind reads
 * "in 5 s" for something that already happened, and "started 25 s ago · took 31 s". Each API
 * response's `Date` header tells how far the two clocks are apart; relative times use the
 * browser's clock moved by that much.
 */

const SAMPLES = 5;
const samples: number[] = [];
let offset = 0;

/** Records a response's `Date` header (whole seconds, so its middle is the best guess). */
export function noteServerDate(header: string | null | undefined, receivedAt: number = Date.now()): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  samples.push(server + 500 - receivedAt);
  if (samples.length > SAMPLES) samples.shift();
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // Under a second apart is within the header's own resolution: leave the browser's clock alone.
  offset = Math.abs(median) < 1000 ? 0 : median;
}

/** Now, on the server's clock (ms). */
export function serverNow(): number {
  return Date.now() + offset;
}

/** How far the server's clock is ahead of the browser's (ms; negative when behind). */
export function serverOffset(): number {
  return offset;
}

/** For tests. */
export function resetServerClock(): void {
  samples.length = 0;
  offset = 0;
}
