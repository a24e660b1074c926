import { useMemo } from 'react';
import type { AuthorState } from '../authorState';
import type { DefinitionFormat } from '../definitionText';
import type { EditorMarker } from '../editor/CodeEditor';
import { definitionProblems } from '../validation';
import { markersOf } from './useServerProblems';

/**
 * The page's one check of the definition (validation.ts) and what each editor marks: its own
 * syntax error, else the check's problems and the server's, on their lines.
 */
export function useDefinitionCheck(state: AuthorState, locked: DefinitionFormat | undefined, serverMarkers: Record<DefinitionFormat, EditorMarker[]>) {
  const checks = useMemo(() => (locked ? [] : definitionProblems(state.definition)), [locked, state.definition]);
  const checkMarkers = useMemo(() => markersOf(checks, state, ''), [checks, state]);
  const editorMarkers = (format: DefinitionFormat): EditorMarker[] => {
    const syntax = state[format].problem;
    if (syntax) return [{ line: syntax.line, column: syntax.column, message: syntax.message, severity: 'error' }];
    return locked ? [] : [...checkMarkers[format], ...serverMarkers[format]];
  };
  return {
    checks,
    /** Problems that keep the workflow from being created. */
    blocking: checks.filter((p) => !p.ignoredKey),
    /** Keys the server would store and ignore: creating asks first, naming them. */
    ignoredKeys: checks.filter((p) => p.ignoredKey),
    checkMarkers,
    editorMarkers,
  };
}
