/**
 * Editor markers of the trigger form, from the server: compile errors of the preview or of a
 * create, and runtime errors of a test run. Each set remembers the text it was computed on, so
 * markers vanish as soon as the expression is edited instead of pointing at the wrong place.
 */
import type { TriggerPreview, V2TriggerTest } from '../../api/types';
import { locateExprError } from './editor/errors';
import type { EditorProblem } from './editor/types';

/** A test result: the v2 test endpoint's, or the console preview's (which adds compile `errors`). */
export type TestResultData = V2TriggerTest & Pick<TriggerPreview, 'errors'>;

export interface SourcedProblems {
  source: string;
  problems: EditorProblem[];
}

export interface FormProblems {
  filter?: SourcedProblems;
  /** By variable name. */
  vars: Record<string, SourcedProblems>;
}

export const NO_PROBLEMS: FormProblems = { vars: {} };

export interface ExpressionSources {
  filter: string;
  vars: Record<string, string>;
}

/** The problems that still apply to `source` (none once the text changed). */
export function problemsFor(set: SourcedProblems | undefined, source: string): EditorProblem[] {
  return set && set.source === source ? set.problems : [];
}

function located(text: string, severity: EditorProblem['severity']): EditorProblem {
  const loc = locateExprError(text);
  return { message: loc.message, line: loc.line, column: loc.column, severity };
}

/** Compile errors (preview `errors`) are errors; runtime errors of a test run are warnings. */
export function problemsFromPreview(result: TestResultData, sources: ExpressionSources): FormProblems {
  const out: FormProblems = { vars: {} };
  const add = (field: string, p: EditorProblem) => {
    if (field === 'filter') out.filter = { source: sources.filter, problems: [...(out.filter?.problems ?? []), p] };
    else if (field.startsWith('vars.')) {
      const name = field.slice(5);
      if (name in sources.vars) out.vars[name] = { source: sources.vars[name]!, problems: [...(out.vars[name]?.problems ?? []), p] };
    }
  };
  for (const e of result.errors ?? []) add(e.field, { message: locateExprError(e.message).message, line: e.line, column: e.column, severity: 'error' });
  if (result.filter?.error) add('filter', located(result.filter.error, 'warning'));
  for (const [name, v] of Object.entries(result.variables ?? {})) if (v.error) add(`vars.${name}`, located(v.error, 'warning'));
  return out;
}
