import { describe, expect, it, vi } from 'vitest';

vi.mock('./monaco', () => ({ installMonacoEnvironment: () => undefined, monaco: {} }));
vi.mock('@monaco-editor/react', () => ({ DiffEditor: () => null }));

const { summarizeLineChanges } = await import('./DiffView');

describe('summarizeLineChanges', () => {
  it('counts blocks, added and removed lines (insertions and deletions have an empty side)', () => {
    const change = (os: number, oe: number, ms: number, me: number) => ({
      originalStartLineNumber: os,
      originalEndLineNumber: oe,
      modifiedStartLineNumber: ms,
      modifiedEndLineNumber: me,
      charChanges: undefined,
    });
    expect(summarizeLineChanges([])).toEqual({ changes: 0, added: 0, removed: 0 });
    // One line replaced, two lines inserted after line 7, one line deleted.
    expect(summarizeLineChanges([change(3, 3, 3, 3), change(7, 0, 8, 9), change(12, 12, 13, 0)])).toEqual({ changes: 3, added: 3, removed: 2 });
  });
});
