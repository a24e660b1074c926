import { vi } from 'vitest';

/** Runs `fn` with the console captured (and silenced); resolves with everything it logged. */
export async function capturedLogs(fn: () => Promise<void>): Promise<string> {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
  try {
    await fn();
    return spies.flatMap((s) => s.mock.calls.flat().map(String)).join('\n');
  } finally {
    for (const s of spies) s.mockRestore();
  }
}
