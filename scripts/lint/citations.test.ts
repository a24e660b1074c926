import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The repository stands on its own: code and docs cite its own docs (docs/), never a document a
// person who clones it does not have, and never a path of the machine that wrote them.
const root = join(import.meta.dirname, '../..');
const FORBIDDEN: [RegExp, string][] = [
  [/flows-api(\.md)?|stack-api(\.md)?|ui-bar\.md|remote-mode\.md|\.\.\/shared\/|fact sheet/i, 'a document outside the repository'],
  [/(?<!RFC \d{3,5} )§ ?\d/, 'a section number of a document outside the repository'],
  [/\/(work|tmp\/bash_jobs)[./][\w.-]*\//, 'a path of the machine that wrote it'],
];
const TEXT = /\.(ts|tsx|js|mjs|cjs|md|yaml|yml|json|go|py|html|css|sh)$/;

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => TEXT.test(f) && !f.startsWith('compat/go/third_party/') && f !== 'package-lock.json' && !f.endsWith('citations.test.ts'));
}

describe('citations', () => {
  it('no tracked file cites a document outside the repository or a machine path', () => {
    const found: string[] = [];
    for (const file of trackedTextFiles()) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const [pattern, what] of FORBIDDEN) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(found).toEqual([]);
  });
});
