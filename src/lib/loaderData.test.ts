import { describe, expect, it, vi } from 'vitest';
import { rowsWithExtras } from './loaderData';

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('rowsWithExtras', () => {
  it('waits for extras that settle soon after the rows', async () => {
    let extraDone = false;
    const rows = await rowsWithExtras(later(5, 'rows'), [later(40, 1).then(() => (extraDone = true))], 1_000);
    expect(rows).toBe('rows');
    expect(extraDone).toBe(true);
  });

  it('does not wait longer than the grace period after the rows', async () => {
    vi.useFakeTimers();
    try {
      let resolved: string | undefined;
      const pending = rowsWithExtras(Promise.resolve('rows'), [new Promise(() => {})], 300).then((r) => (resolved = r));
      await vi.advanceTimersByTimeAsync(299);
      expect(resolved).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(resolved).toBe('rows');
    } finally {
      vi.useRealTimers();
    }
  });

  it('is not held back or failed by a failed extra', async () => {
    await expect(rowsWithExtras(Promise.resolve(3), [Promise.reject(new Error('no'))])).resolves.toBe(3);
  });

  it('fails when the rows fail', async () => {
    await expect(rowsWithExtras(Promise.reject(new Error('rows')), [later(5, 1)])).rejects.toThrow('rows');
  });
});
