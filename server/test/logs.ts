import { vi } from 'vitest';

/**
 * Runs `fn` with the console and the process's stdout/stderr captured (and silenced); resolves
 * with everything written: console calls and the server's log lines (lib/log.ts writes to the
 * streams directly).
 */
export async function capturedLogs(fn: () => Promise<void>): Promise<string> {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
  const written: string[] = [];
  const streams = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    }),
  );
  try {
    await fn();
    return [...spies.flatMap((s) => s.mock.calls.flat().map(String)), ...written].join('\n');
  } finally {
    for (const s of [...spies, ...streams]) s.mockRestore();
  }
}
