import { errorText } from '../../api/errors';

/**
 * Abort on a Formance stack: upstream Flows cancels the run's start step (`Initiate`), which
 * finished as soon as the run began, so the stack refuses (HTTP 500, "workflow execution already
 * completed") and the run goes on. The console asks anyway and says what happened.
 */
export const STACK_ABORT =
  'Upstream Flows cannot abort a run once it has started: its abort cancels the step that started the run, which finished when the run began, so the stack refuses and the run goes on. The console asks anyway and shows the stack’s answer; the status stays as the stack reports it.';

/** Why the stack refused an abort, in words (its own message kept). */
export function abortRefusal(error: unknown): string {
  return `The stack refused (${errorText(error)}): it cannot abort a run that has started, so this one goes on as the stack reports it.`;
}
