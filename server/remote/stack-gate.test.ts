import { describe, expect, it } from 'vitest';
import { StackBusyError, StackGate } from './stack-gate.js';

/** A call that ends when the test says so. */
function held() {
  let end!: () => void;
  const done = new Promise<void>((resolve) => (end = resolve));
  return { call: () => done, end };
}

describe('StackGate', () => {
  it('runs at most maxInFlight calls, queues maxQueued more in order, refuses the rest at once', async () => {
    const gate = new StackGate({ maxInFlight: 2, maxQueued: 1, maxWaitMs: 60_000 });
    const a = held();
    const b = held();
    const order: string[] = [];
    const runA = gate.run(a.call).then(() => order.push('a'));
    const runB = gate.run(b.call).then(() => order.push('b'));
    const runC = gate.run(async () => void order.push('c started'));
    await expect(gate.run(async () => 'd')).rejects.toBeInstanceOf(StackBusyError);
    expect([gate.inFlight, gate.queued]).toEqual([2, 1]);
    expect(order).toEqual([]);
    a.end();
    await runA;
    await runC;
    expect(order.sort()).toEqual(['a', 'c started']);
    b.end();
    await runB;
    expect([gate.inFlight, gate.queued, gate.peakInFlight]).toEqual([0, 0, 2]);
  });

  it('a waiting call gives up after maxWaitMs, or when its client goes away', async () => {
    const gate = new StackGate({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 50 });
    const a = held();
    const runA = gate.run(a.call);
    await expect(gate.run(async () => 'late')).rejects.toThrow(/waited 0 s for one of the 1 calls in flight/);
    const client = new AbortController();
    const gone = gate.run(async () => 'gone', client.signal);
    client.abort();
    await expect(gone).rejects.toMatchObject({ name: 'AbortError' });
    expect(gate.queued).toBe(0);
    a.end();
    await runA;
    expect(await gate.run(async () => 'free again')).toBe('free again');
  });

  it('a call that throws frees its slot', async () => {
    const gate = new StackGate({ maxInFlight: 1, maxQueued: 0, maxWaitMs: 1_000 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
