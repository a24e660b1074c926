import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { deadline } from './deadline.js';

/** A real garbage collection, without starting the test process with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('deadline', () => {
  it('aborts with a TimeoutError once the time is up, as AbortSignal.timeout does', async () => {
    const signal = deadline(30);
    expect(signal.aborted).toBe(false);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts at once with the reason of the signal it also follows', () => {
    const request = new AbortController();
    const signal = deadline(60_000, request.signal);
    request.abort(new Error('client went away'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('client went away');
    const already = deadline(60_000, AbortSignal.abort('gone'));
    expect(already.reason).toBe('gone');
  });

  it('still times out after garbage collections while the call is in flight (nodejs/node#57736)', async () => {
    // Only the signal's abort listener refers to it, as when fetch holds it for a call in flight.
    const signal = deadline(200, new AbortController().signal);
    const aborted = new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve((signal.reason as DOMException).name), { once: true }));
    for (let i = 0; i < 5; i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await aborted).toBe('TimeoutError');
  });
});
