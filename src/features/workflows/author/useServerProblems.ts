import { useMemo, useState } from 'react';
import type { AuthorState } from '../authorState';
import { locatePath, type DefinitionFormat } from '../definitionText';
import type { EditorMarker } from '../editor/CodeEditor';
import type { ServerProblem } from '../serverErrors';
import { formatPath } from '../variables';

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** Editor markers of problems with a JSON path, on the lines they concern in each format's text. */
export function markersOf(
  problems: readonly { path: (string | number)[]; message: string }[],
  state: AuthorState,
  prefix: string,
): Record<DefinitionFormat, EditorMarker[]> {
  const of = (format: DefinitionFormat): EditorMarker[] =>
    problems.map((p) => {
      const at = p.path.length ? locatePath(state[format].text, p.path) : undefined;
      return {
        line: at?.startLine ?? 1,
        column: at?.startColumn ?? 1,
        endLine: at?.endLine,
        endColumn: at?.endColumn,
        message: `${prefix}${p.path.length ? `${formatPath(p.path)}: ` : ''}${p.message}`,
        severity: 'error',
      };
    });
  return { json: of('json'), yaml: of('yaml') };
}

/**
 * The server's refusal of the last save: its problems, each kept until the value it is about
 * changes (or the next save), and their markers in the editors.
 */
export function useServerProblems(state: AuthorState) {
  const [refusal, setRefusal] = useState<{ problems: ServerProblem[]; submitted: unknown }>({ problems: [], submitted: undefined });
  const problems = useMemo(
    () => refusal.problems.filter((p) => !p.path.length || JSON.stringify(valueAt(state.definition, p.path)) === JSON.stringify(valueAt(refusal.submitted, p.path))),
    [refusal, state.definition],
  );
  const markers = useMemo(() => markersOf(problems, state, 'Server: '), [problems, state]);
  return {
    problems,
    markers,
    setProblems: (list: ServerProblem[], submitted?: unknown) => setRefusal({ problems: list, submitted }),
  };
}
