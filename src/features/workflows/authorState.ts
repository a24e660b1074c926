/**
 * State of the authoring page: one definition shared by the builder and the two editors.
 *
 * Each editor keeps its own text. Valid text replaces the definition (and regenerates the other
 * editor); invalid text is kept as typed with its problem, and the other views stay read-only
 * until it parses again — so switching views never loses what was typed.
 */
import { formatDefinition, parseDefinition, type DefinitionFormat, type TextProblem } from './definitionText';

export interface EditorText {
  text: string;
  problem?: TextProblem;
  /**
   * Bumped when the text changes from anywhere but its own editor: only then does the editor
   * take it (an editor fed back its own, possibly stale, text would lose keystrokes).
   */
  version: number;
}

export interface AuthorState {
  /** The last definition that parsed. */
  definition: unknown;
  json: EditorText;
  yaml: EditorText;
  /** Bumped when the definition changes outside the builder: the builder reloads its form. */
  revision: number;
  /** Whether anything changed since the last load (template, import, source, discard). */
  dirty: boolean;
  /** Where the last change came from; a draft keeps that editor's text verbatim. */
  origin: 'load' | 'builder' | DefinitionFormat;
}

export type AuthorAction =
  | { type: 'load'; definition: unknown; dirty?: boolean }
  | { type: 'builder'; definition: unknown }
  /** `source`: typed in its editor (default), imported from a file, or restored from a draft. */
  | { type: 'text'; format: DefinitionFormat; text: string; source?: 'editor' | 'file' | 'draft' };

export function initialAuthorState(definition: unknown): AuthorState {
  return {
    definition,
    json: { text: formatDefinition(definition, 'json'), version: 0 },
    yaml: { text: formatDefinition(definition, 'yaml'), version: 0 },
    revision: 0,
    dirty: false,
    origin: 'load',
  };
}

/** The text of an editor, set from outside it. */
const fromOutside = (previous: EditorText, text: string): EditorText => ({ text, version: previous.version + 1 });

const other = (format: DefinitionFormat): DefinitionFormat => (format === 'json' ? 'yaml' : 'json');

export function authorReducer(state: AuthorState, action: AuthorAction): AuthorState {
  switch (action.type) {
    case 'load':
      return {
        definition: action.definition,
        json: fromOutside(state.json, formatDefinition(action.definition, 'json')),
        yaml: fromOutside(state.yaml, formatDefinition(action.definition, 'yaml')),
        revision: state.revision + 1,
        dirty: action.dirty ?? false,
        origin: 'load',
      };
    case 'builder':
      return {
        ...state,
        definition: action.definition,
        json: fromOutside(state.json, formatDefinition(action.definition, 'json')),
        yaml: fromOutside(state.yaml, formatDefinition(action.definition, 'yaml')),
        dirty: true,
        origin: 'builder',
      };
    case 'text': {
      const source = action.source ?? 'editor';
      const own = state[action.format];
      if (action.text === own.text && source === 'editor') return state;
      const version = source === 'editor' ? own.version : own.version + 1;
      const dirty = source !== 'draft';
      const parsed = parseDefinition(action.text, action.format);
      if (!parsed.ok) return { ...state, [action.format]: { text: action.text, problem: parsed.problem, version }, dirty: state.dirty || dirty, origin: action.format };
      return {
        ...state,
        definition: parsed.value,
        [action.format]: { text: action.text, version },
        [other(action.format)]: fromOutside(state[other(action.format)], formatDefinition(parsed.value, other(action.format))),
        revision: state.revision + 1,
        dirty,
        origin: action.format,
      };
    }
  }
}

/** The editor whose text does not parse, if any: every other view is read-only meanwhile. */
export function lockedBy(state: AuthorState): DefinitionFormat | undefined {
  if (state.json.problem) return 'json';
  if (state.yaml.problem) return 'yaml';
  return undefined;
}
