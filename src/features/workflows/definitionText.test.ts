import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../lib/json';
import { detectFormat, formatDefinition, locatePath, parseDefinition, parseJsonText, parseYamlText } from './definitionText';

const sample = {
  name: 'payin-to-wallet',
  stages: [
    { send: { source: { payment: { id: '${paymentID}' } }, destination: { wallet: { id: '${walletID}', balance: 'main' } } } },
    { update: { account: { id: 'users:1', metadata: { note: 'a: b', flag: 'true', n: '500', empty: '', hash: '#x', multi: 'line 1\nline 2' } } } },
    { delay: { until: '2030-01-01T00:00:00Z' } },
    { send: { source: { account: { id: 'world' } }, destination: { account: { id: 'b' } }, amount: { asset: 'USD/2', amount: 9007199254740993n.toString() } } },
  ],
};

describe('YAML and JSON round trips', () => {
  it('keeps every value and type through YAML', () => {
    const yaml = formatDefinition(sample, 'yaml');
    expect(yaml).toContain('id: ${paymentID}');
    expect(parseYamlText(yaml)).toEqual({ ok: true, value: sample });
    expect(parseJsonText(formatDefinition(sample, 'json'))).toEqual({ ok: true, value: sample });
  });

  it('keeps any JSON value through both formats (integers beyond 2^53 become exact strings)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected = parseJsonLossless(JSON.stringify(value));
        for (const format of ['json', 'yaml'] as const) {
          const parsed = parseDefinition(formatDefinition(value, format), format);
          expect(parsed).toEqual({ ok: true, value: expected });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads big YAML integers exactly', () => {
    expect(parseYamlText('amount: 9007199254740993\nsmall: 12\n')).toEqual({ ok: true, value: { amount: '9007199254740993', small: 12 } });
  });

  it('reads YAML 1.2 like the server: yes/on stay strings, dates stay strings', () => {
    expect(parseYamlText('a: yes\nb: on\nc: 2030-01-01T00:00:00Z\nd: true\n')).toEqual({ ok: true, value: { a: 'yes', b: 'on', c: '2030-01-01T00:00:00Z', d: true } });
  });
});

describe('parse errors with their position', () => {
  it('locates JSON syntax errors', () => {
    const r = parseJsonText('{\n  "name": "x",\n  "stages": [\n    { "noop": {} }\n    { "noop": {} }\n  ]\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.line).toBe(5);
    expect(r.problem.message).not.toMatch(/position/);
  });

  it('locates YAML syntax errors', () => {
    const r = parseYamlText('name: x\nstages:\n  - noop: {}\n   bad: [\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.line).toBeGreaterThanOrEqual(4);
  });

  it('refuses empty text', () => {
    expect(parseJsonText('  ')).toMatchObject({ ok: false, problem: { message: 'The definition is empty.' } });
    expect(parseYamlText('')).toMatchObject({ ok: false });
  });
});

describe('locatePath', () => {
  const json = formatDefinition(sample, 'json');
  const lines = json.split('\n');
  const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;

  it('finds a value in JSON text', () => {
    const r = locatePath(json, ['stages', 0, 'send', 'destination', 'wallet', 'id']);
    expect(r?.startLine).toBe(lineOf('"${walletID}"'));
    expect(lines[r!.startLine - 1]!.slice(r!.startColumn - 1, r!.endColumn - 1)).toBe('"${walletID}"');
  });

  it('falls back to the deepest existing key for a missing field', () => {
    const r = locatePath(json, ['stages', 0, 'send', 'amount']);
    expect(r?.startLine).toBe(lineOf('"send"'));
    const deeper = locatePath(json, ['stages', 3, 'send', 'amount', 'amount']);
    expect(deeper?.startLine).toBe(lineOf('"9007199254740993"'));
  });

  it('finds a value in YAML text', () => {
    const yaml = formatDefinition(sample, 'yaml');
    const r = locatePath(yaml, ['stages', 2, 'delay', 'until']);
    expect(yaml.split('\n')[r!.startLine - 1]).toContain('until: 2030-01-01T00:00:00Z');
  });

  it('gives up on text that does not parse', () => {
    expect(locatePath('{"a": ', ['a'])).toBeUndefined();
  });
});

describe('detectFormat', () => {
  it('uses the extension, else the first character', () => {
    expect(detectFormat('flow.yml', '{}')).toBe('yaml');
    expect(detectFormat('flow.JSON', 'name: x')).toBe('json');
    expect(detectFormat('flow', '  {"stages": []}')).toBe('json');
    expect(detectFormat('flow.txt', 'stages: []')).toBe('yaml');
  });
});

describe('JSON syntax errors (issue: the banner said 1:1 where the editor said 4:19)', () => {
  it('every error has the line and column where it is, also when the engine message has no position', () => {
    expect(parseJsonText('{\n  "name": "x",\n  "stages": [\n    { "noop": {} ,, }\n  ]\n}')).toMatchObject({ ok: false, problem: { line: 4, column: 19 } });
    expect(parseJsonText('{\n "a": tru\n}')).toMatchObject({ ok: false, problem: { line: 2, column: 7, message: 'Invalid Symbol' } });
    expect(parseJsonText('{\n "a": 1\n} x')).toMatchObject({ ok: false, problem: { line: 3 } });
  });
});
