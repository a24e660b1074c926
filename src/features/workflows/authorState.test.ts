import { beforeEach, describe, expect, it } from 'vitest';
import { authorReducer, initialAuthorState, lockedBy } from './authorState';
import { clearDraft, readDraft, readRunPreferences, writeDraft, writeRunPreferences } from './draft';

const def = { name: 'a', stages: [{ noop: {} }] };

describe('author state', () => {
  it('starts clean with both texts formatted', () => {
    const s = initialAuthorState(def);
    expect(s.json.text).toBe(JSON.stringify(def, null, 2) + '\n');
    expect(s.yaml.text).toBe('name: a\nstages:\n  - noop: {}\n');
    expect(s.dirty).toBe(false);
  });

  it('valid JSON replaces the definition, regenerates YAML and asks the builder to reload', () => {
    const s = authorReducer(initialAuthorState(def), { type: 'text', format: 'json', text: '{"name":"b","stages":[]}' });
    expect(s.definition).toEqual({ name: 'b', stages: [] });
    expect(s.yaml.text).toBe('name: b\nstages: []\n');
    expect(s.json.text).toBe('{"name":"b","stages":[]}');
    expect(s.revision).toBe(1);
    expect(s.dirty).toBe(true);
    expect(lockedBy(s)).toBeUndefined();
  });

  it('keeps invalid text as typed, with its problem, and locks the other views', () => {
    const s = authorReducer(initialAuthorState(def), { type: 'text', format: 'yaml', text: 'name: [b\n' });
    expect(s.yaml.text).toBe('name: [b\n');
    expect(s.yaml.problem?.line).toBeGreaterThan(0);
    expect(s.definition).toEqual(def);
    expect(lockedBy(s)).toBe('yaml');
    const fixed = authorReducer(s, { type: 'text', format: 'yaml', text: 'name: b\nstages: []\n' });
    expect(lockedBy(fixed)).toBeUndefined();
    expect(fixed.json.text).toContain('"name": "b"');
  });

  it('builder changes regenerate both texts without a reload', () => {
    const s = authorReducer(initialAuthorState(def), { type: 'builder', definition: { stages: [] } });
    expect(s.json.text).toBe('{\n  "stages": []\n}\n');
    expect(s.revision).toBe(0);
    expect(s.origin).toBe('builder');
  });

  it('load starts over (templates, imports, discard)', () => {
    const edited = authorReducer(initialAuthorState(def), { type: 'text', format: 'json', text: '{' });
    const s = authorReducer(edited, { type: 'load', definition: { stages: [] } });
    expect(lockedBy(s)).toBeUndefined();
    expect(s.dirty).toBe(false);
    expect(s.revision).toBe(edited.revision + 1);
  });

  it('tells an editor to take a text only when it comes from elsewhere', () => {
    const s0 = initialAuthorState(def);
    const typed = authorReducer(s0, { type: 'text', format: 'json', text: '{"stages":[]}' });
    expect(typed.json.version).toBe(s0.json.version);
    expect(typed.yaml.version).toBe(s0.yaml.version + 1);
    const built = authorReducer(typed, { type: 'builder', definition: { stages: [{ noop: {} }] } });
    expect([built.json.version, built.yaml.version]).toEqual([typed.json.version + 1, typed.yaml.version + 1]);
    const imported = authorReducer(built, { type: 'text', format: 'yaml', text: 'stages: []\n', source: 'file' });
    expect(imported.yaml.version).toBe(built.yaml.version + 1);
    expect(imported.dirty).toBe(true);
  });

  it('restoring a draft text is a load: not dirty', () => {
    const s = authorReducer(initialAuthorState(def), { type: 'text', format: 'yaml', text: '# kept\nstages: []\n', source: 'draft' });
    expect(s.yaml.text).toBe('# kept\nstages: []\n');
    expect(s.dirty).toBe(false);
  });
});

describe('drafts and run preferences', () => {
  beforeEach(() => localStorage.clear());

  it('keeps a draft per key until cleared', () => {
    writeDraft('new', { format: 'yaml', text: 'stages: []' }, new Date('2030-01-01T00:00:00Z'));
    expect(readDraft('new')).toEqual({ format: 'yaml', text: 'stages: []', savedAt: '2030-01-01T00:00:00.000Z' });
    expect(readDraft('other')).toBeUndefined();
    clearDraft('new');
    expect(readDraft('new')).toBeUndefined();
  });

  it('ignores garbage in storage', () => {
    localStorage.setItem('flows-console:workflow-draft:new', '{"format":"xml"}');
    expect(readDraft('new')).toBeUndefined();
    localStorage.setItem('flows-console:run-variables:w', 'not json');
    expect(readRunPreferences('w')).toEqual({ variables: {}, wait: false });
  });

  it('remembers run variables per workflow', () => {
    writeRunPreferences('w1', { variables: { amount: '100' }, wait: true });
    expect(readRunPreferences('w1')).toEqual({ variables: { amount: '100' }, wait: true });
    expect(readRunPreferences('w2').variables).toEqual({});
  });
});
