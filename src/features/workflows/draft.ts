/** Unsaved authoring drafts and last run variables, kept in localStorage per workflow. */
import type { DefinitionFormat } from './definitionText';

const DRAFT_PREFIX = 'flows-console:workflow-draft:';
const RUN_PREFIX = 'flows-console:run-variables:';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function read(key: string): unknown {
  try {
    return JSON.parse(storage()?.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function write(key: string, value: unknown) {
  try {
    if (value === undefined) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // quota or disabled storage: the draft is simply not kept
  }
}

export interface Draft {
  format: DefinitionFormat;
  text: string;
  /** RFC 3339 */
  savedAt: string;
}

/** `new` for a new workflow, else the id of the workflow being duplicated. */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- `'new'` documents the special key
export type DraftKey = 'new' | string;

export function readDraft(key: DraftKey): Draft | undefined {
  const d = read(DRAFT_PREFIX + key) as Partial<Draft> | null;
  if (!d || (d.format !== 'json' && d.format !== 'yaml') || typeof d.text !== 'string' || typeof d.savedAt !== 'string') return undefined;
  return { format: d.format, text: d.text, savedAt: d.savedAt };
}

export function writeDraft(key: DraftKey, draft: Omit<Draft, 'savedAt'>, now = new Date()) {
  write(DRAFT_PREFIX + key, { ...draft, savedAt: now.toISOString() });
}

export function clearDraft(key: DraftKey) {
  write(DRAFT_PREFIX + key, undefined);
}

export interface RunPreferences {
  variables: Record<string, string>;
  wait: boolean;
}

export function readRunPreferences(workflowID: string): RunPreferences {
  const r = read(RUN_PREFIX + workflowID) as Partial<RunPreferences> | null;
  const variables: Record<string, string> = {};
  if (r && r.variables && typeof r.variables === 'object') {
    for (const [k, v] of Object.entries(r.variables)) if (typeof v === 'string') variables[k] = v;
  }
  return { variables, wait: r?.wait === true };
}

export function writeRunPreferences(workflowID: string, prefs: RunPreferences) {
  write(RUN_PREFIX + workflowID, prefs);
}
