import { describe, expect, it } from 'vitest';
import { locateExprError, markerRange, parseTriggerError } from './errors';
import { jsonErrorOffset, jsonErrorPosition, parseJsonObject } from './jsonLanguage';

describe('parseTriggerError', () => {
  it('reads a filter compile error with its position', () => {
    const filter = 'event.a ==\n (';
    const msg = `filter: validating data: error compiling expression '${filter}': unexpected token EOF (2:3)\n |  (\n | ..^`;
    expect(parseTriggerError(msg, { filter })).toEqual({ field: 'filter', message: 'unexpected token EOF', line: 2, column: 3 });
    // Without the source, the message is still found.
    expect(parseTriggerError(msg)).toEqual({ field: 'filter', message: 'unexpected token EOF', line: 2, column: 3 });
  });

  it("keeps expressions with quotes, colons and `': ` apart from the message", () => {
    const filter = `event.note == "a': b" && event.x == 'y'`;
    const msg = `filter: validating data: error compiling expression '${filter}': unexpected token Operator("==") (1:36)\n | ${filter}\n | ...^`;
    expect(parseTriggerError(msg, { filter })).toMatchObject({ field: 'filter', message: 'unexpected token Operator("==")', line: 1, column: 36 });
    expect(parseTriggerError(msg)).toMatchObject({ field: 'filter', message: 'unexpected token Operator("==")', line: 1, column: 36 });
  });

  it('names the variable, even when its name has dots or colons', () => {
    const vars = { 'a.b': 'event.(', a: 'event.id' };
    const msg = `vars.a.b: validating data: error compiling expression 'event.(': unexpected token Bracket("(") (1:7)\n | event.(\n | ......^`;
    expect(parseTriggerError(msg, { vars })).toEqual({ field: 'vars.a.b', message: 'unexpected token Bracket("(")', line: 1, column: 7 });
    expect(parseTriggerError('vars.x:y: expression must not be empty', { vars: { 'x:y': ' ' } })).toEqual({ field: 'vars.x:y', message: 'expression must not be empty' });
    expect(parseTriggerError('vars.total: expected an expression string, got number')).toEqual({
      field: 'vars.total',
      message: 'expected an expression string, got number',
    });
  });

  it('maps the other fields and the missing workflow', () => {
    expect(parseTriggerError('event: validating data: missing event')).toEqual({ field: 'event', message: 'missing event' });
    expect(parseTriggerError("event: unknown event type 'committed.tx': event types are upper snake case")).toEqual({
      field: 'event',
      message: "unknown event type 'committed.tx': event types are upper snake case",
    });
    expect(parseTriggerError('workflowID: validating data: missing workflow id')).toEqual({ field: 'workflowID', message: 'missing workflow id' });
    expect(parseTriggerError('workflow does not exists').field).toBe('workflowID');
    expect(parseTriggerError('name: at most 1024 characters')).toEqual({ field: 'name', message: 'at most 1024 characters' });
    expect(parseTriggerError('vars: at most 100 variables')).toEqual({ field: 'vars', message: 'at most 100 variables' });
    expect(parseTriggerError('request body: expected a trigger object')).toEqual({ field: 'form', message: 'request body: expected a trigger object' });
    expect(parseTriggerError('something broke').field).toBe('form');
  });
});

describe('locateExprError', () => {
  it('splits runtime errors from the test endpoint', () => {
    expect(locateExprError('invalid operation: <nil> + <nil> (1:3)\n | a + b\n | ..^')).toEqual({ message: 'invalid operation: <nil> + <nil>', line: 1, column: 3 });
    expect(locateExprError("link 'x' not defined for object")).toEqual({ message: "link 'x' not defined for object" });
    expect(locateExprError('cannot fetch amount from <nil> (12:40)')).toEqual({ message: 'cannot fetch amount from <nil>', line: 12, column: 40 });
  });
});

describe('markerRange', () => {
  it('covers the word at the position', () => {
    expect(markerRange('event.status == bogus', 1, 17)).toEqual({ startLineNumber: 1, startColumn: 17, endLineNumber: 1, endColumn: 22 });
  });
  it('covers one symbol', () => {
    expect(markerRange('a + b', 1, 3)).toEqual({ startLineNumber: 1, startColumn: 3, endLineNumber: 1, endColumn: 4 });
  });
  it('puts end-of-input errors on the last character of the line', () => {
    expect(markerRange('event.status ==', 1, 16)).toEqual({ startLineNumber: 1, startColumn: 15, endLineNumber: 1, endColumn: 16 });
    expect(markerRange('', 1, 1)).toEqual({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 });
  });
  it('uses the right line and converts code points to UTF-16 columns', () => {
    expect(markerRange('event.a ==\n (', 2, 3)).toEqual({ startLineNumber: 2, startColumn: 2, endLineNumber: 2, endColumn: 3 });
    // 😀 is one code point (the server's column) but two UTF-16 units (Monaco's).
    expect(markerRange('"😀" + x', 1, 6)).toEqual({ startLineNumber: 1, startColumn: 7, endLineNumber: 1, endColumn: 8 });
    expect(markerRange('a\nb', 9, 1)).toEqual({ startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 2 });
  });
});

describe('sample payload JSON', () => {
  it('accepts objects only', () => {
    expect(parseJsonObject('{"ledger":"main"}')).toEqual({ value: { ledger: 'main' } });
    expect(parseJsonObject('[1]')).toMatchObject({ problem: { message: expect.stringContaining('not an array') } });
    expect(parseJsonObject('  ')).toMatchObject({ problem: { line: 1, column: 1 } });
  });
  it('locates syntax errors', () => {
    const text = '{\n  "a": 1,\n  "b": }';
    const r = parseJsonObject(text);
    expect(r).toMatchObject({ problem: { line: 3, column: 8 } });
    expect(jsonErrorPosition('{"a": x}', new SyntaxError('Unexpected token x in JSON at position 6'))).toEqual({ message: 'Unexpected token x', line: 1, column: 7 });
    expect(jsonErrorPosition('{\n"a" 1}', new SyntaxError("Expected ':' after property name in JSON at position 6 (line 2 column 5)"))).toEqual({
      message: "Expected ':' after property name",
      line: 2,
      column: 5,
    });
    expect(jsonErrorPosition('{"a":', new SyntaxError('Unexpected end of JSON input'))).toEqual({ message: 'Unexpected end of JSON input', line: 1, column: 6 });
    // Node 20 / some Chromium messages carry no position: the text is scanned instead.
    expect(jsonErrorPosition('{"a": 1,\n "b": tru}', new SyntaxError(`Unexpected token '}', "{"a": 1,\n "b": tru}" is not valid JSON`))).toEqual({
      message: "Unexpected token '}'",
      line: 2,
      column: 7,
    });
  });
  it('scans for the first syntax error', () => {
    for (const [text, offset] of [
      ['{"a":1}', 7],
      ['{"a":1', 6],
      ['{"a" 1}', 5],
      ['{a:1}', 1],
      ['{"a":[1,2,]}', 10],
      ['{"a":"x\\q"}', 8],
      ['{"a":01}', 6],
      ['{} x', 3],
      ['{"a":nul}', 5],
    ] as const) {
      expect(jsonErrorOffset(text), text).toBe(offset);
    }
  });
});
