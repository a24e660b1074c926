import { useMemo } from 'react';
import { cn } from '../lib/cn';
import { CopyButton } from './CopyButton';

type Token = { text: string; kind: 'key' | 'string' | 'number' | 'literal' | 'punct' };

/** Splits pretty-printed JSON into coloured tokens (no HTML injection: React renders text). */
export function tokenizeJson(json: string): Token[] {
  const tokens: Token[] = [];
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([^"\d\-tfn]+|.)/g;
  for (const m of json.matchAll(re)) {
    if (m[1]) {
      tokens.push({ text: m[1], kind: m[2] ? 'key' : 'string' });
      if (m[2]) tokens.push({ text: m[2], kind: 'punct' });
    } else if (m[3]) tokens.push({ text: m[3], kind: 'number' });
    else if (m[4]) tokens.push({ text: m[4], kind: 'literal' });
    else tokens.push({ text: m[0], kind: 'punct' });
  }
  return tokens;
}

const COLORS: Record<Token['kind'], string> = {
  key: 'text-indigo-700 dark:text-indigo-300',
  string: 'text-emerald-700 dark:text-emerald-300',
  number: 'text-amber-700 dark:text-amber-300',
  literal: 'text-sky-700 dark:text-sky-300',
  punct: 'text-muted',
};

/** Read-only JSON with syntax colours and a copy button. */
export function JsonView({ value, label = 'JSON', maxHeight = 420, className }: { value: unknown; label?: string; maxHeight?: number; className?: string }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? 'undefined', [value]);
  const tokens = useMemo(() => tokenizeJson(text), [text]);
  return (
    <div className={cn('relative rounded-lg border border-line bg-subtle', className)}>
      <div className="absolute top-1.5 right-1.5">
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre className="overflow-auto p-3 pr-10 font-mono text-[12.5px] leading-relaxed" style={{ maxHeight }} tabIndex={0} aria-label={label}>
        <code>
          {tokens.map((t, i) => (
            <span key={i} className={COLORS[t.kind]}>
              {t.text}
            </span>
          ))}
        </code>
      </pre>
    </div>
  );
}
