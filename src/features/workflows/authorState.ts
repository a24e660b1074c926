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
  | { type: 'load'; definition: unknown }
  | { type: 'builder'; definition: unknown }
  | { type: 'text'; format: DefinitionFormat; text: string; load?: boolean };

export function initialAuthorState(definition: unknown): AuthorState {
  return {
    definition,
    json: { text: formatDefinition(definition, 'json') },
    yaml: { text: formatDefinition(definition, 'yaml') },
    revision: 0,
    dirty: false,
    origin: 'load',
  };
}

const other = (format: DefinitionFormat): DefinitionFormat => (format === 'json' ? 'yaml' : 'json');

export function authorReducer(state: AuthorState, action: AuthorAction): AuthorState {
  switch (action.type) {
    case 'load':
      return { ...initialAuthorState(action.definition), revision: state.revision + 1 };
    case 'builder':
      return {
        ...state,
        definition: action.definition,
        json: { text: formatDefinition(action.definition, 'json') },
        yaml: { text: formatDefinition(action.definition, 'yaml') },
        dirty: true,
        origin: 'builder',
      };
    case 'text': {
      if (action.text === state[action.format].text && !action.load) return state;
      const parsed = parseDefinition(action.text, action.format);
      const dirty = !action.load;
      if (!parsed.ok) return { ...state, [action.format]: { text: action.text, problem: parsed.problem }, dirty: state.dirty || dirty, origin: action.format };
      return {
        ...state,
        definition: parsed.value,
        [action.format]: { text: action.text },
        [other(action.format)]: { text: formatDefinition(parsed.value, other(action.format)) },
        revision: state.revision + 1,
        dirty: action.load ? false : true,
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
