/**
 * The columns of the instance list, one vocabulary for the console (which shows and saves them:
 * views, the URL's `cols`) and the server (which writes them: CSV exports). A run variable is a
 * column too: `$userID`.
 */
import { stageKind } from './stage-kinds';
import { instanceState } from './status';

export const INSTANCE_COLUMNS = [
  { id: 'id', label: 'Instance' },
  { id: 'workflow', label: 'Workflow' },
  { id: 'workflowID', label: 'Workflow id' },
  { id: 'status', label: 'Status' },
  { id: 'trigger', label: 'Started by' },
  { id: 'stage', label: 'Stage' },
  { id: 'createdAt', label: 'Started' },
  { id: 'endedAt', label: 'Ended' },
  { id: 'duration', label: 'Duration' },
  { id: 'error', label: 'Error' },
] as const;
export type BuiltInColumn = (typeof INSTANCE_COLUMNS)[number]['id'];

/** What the list shows until someone chooses. */
export const DEFAULT_LIST_COLUMNS: readonly string[] = ['id', 'workflow', 'status', 'trigger', 'createdAt', 'duration'];
/** What an export writes when no columns are given. */
export const DEFAULT_EXPORT_COLUMNS: readonly string[] = ['id', 'workflowID', 'workflow', 'status', 'trigger', 'stage', 'createdAt', 'endedAt', 'duration', 'error'];
export const MAX_COLUMNS = 40;

const BUILT_IN = new Set<string>(INSTANCE_COLUMNS.map((c) => c.id));

/** `$name` → `name`; undefined for a built-in column. */
export function variableOfColumn(column: string): string | undefined {
  return column.startsWith('$') ? column.slice(1) : undefined;
}

export const variableColumn = (name: string) => `$${name}`;

export function columnLabel(column: string): string {
  const variable = variableOfColumn(column);
  return variable !== undefined ? `\${${variable}}` : (INSTANCE_COLUMNS.find((c) => c.id === column)?.label ?? column);
}

export class ColumnListError extends Error {}

/**
 * A comma-separated column list (`id,status,$userID`): known columns and variables, each once.
 * Throws a ColumnListError naming the column that is wrong.
 */
export function parseColumnList(text: string): string[] {
  const columns = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (columns.length > MAX_COLUMNS) throw new ColumnListError(`at most ${MAX_COLUMNS} columns, got ${columns.length}`);
  const seen = new Set<string>();
  for (const c of columns) {
    const variable = variableOfColumn(c);
    if (variable === undefined && !BUILT_IN.has(c))
      throw new ColumnListError(`'${c.slice(0, 60)}' is not a column (${INSTANCE_COLUMNS.map((x) => x.id).join(', ')}, or $name for a variable)`);
    if (variable === '') throw new ColumnListError(`'$' needs a variable name after it`);
    if (seen.has(c)) throw new ColumnListError(`'${c.slice(0, 60)}' is listed twice`);
    seen.add(c);
  }
  return columns;
}

/** What a cell is read from (the API's instance as the list returns it). */
export interface InstanceRow {
  id: string;
  workflowID: string;
  createdAt: string;
  terminated: boolean;
  terminatedAt?: string;
  error?: string;
  triggerID?: string;
  variables?: Record<string, string>;
  currentStage?: number;
  workflow?: { config: { name?: string | null; stages?: readonly unknown[] } };
}

/** A stage as text: `send (2/3)` — its kind, then its place among the definition's stages. */
export function stageText(row: Pick<InstanceRow, 'currentStage' | 'workflow'>): string {
  if (row.currentStage === undefined) return '';
  const stages = row.workflow?.config.stages;
  const kind = stageKind(stages?.[row.currentStage]);
  return `${kind === 'unknown' ? 'stage' : kind} (${row.currentStage + 1}/${stages?.length ?? '?'})`;
}

/** Milliseconds from start to end; undefined while running. */
export function durationMs(row: Pick<InstanceRow, 'createdAt' | 'terminatedAt'>): number | undefined {
  return row.terminatedAt ? Date.parse(row.terminatedAt) - Date.parse(row.createdAt) : undefined;
}

export interface CellOptions {
  /** the name of a trigger, when known */
  triggerName?: (id: string) => string | undefined;
  /** false when the source does not record what started a run (upstream Flows): the cell stays empty */
  provenance?: boolean;
}

/**
 * A cell as plain text, for files: dates in RFC 3339 (UTC), durations in seconds, the trigger by
 * its name (or id), `by hand` when none started the run.
 */
export function cellText(row: InstanceRow, column: string, opts: CellOptions = {}): string {
  const variable = variableOfColumn(column);
  if (variable !== undefined) return row.variables?.[variable] ?? '';
  switch (column as BuiltInColumn) {
    case 'id':
      return row.id;
    case 'workflow':
      return row.workflow?.config.name || row.workflowID;
    case 'workflowID':
      return row.workflowID;
    case 'status':
      return instanceState(row);
    case 'trigger':
      if (opts.provenance === false) return '';
      return row.triggerID ? (opts.triggerName?.(row.triggerID) ?? row.triggerID) : 'by hand';
    case 'stage':
      return stageText(row);
    case 'createdAt':
      return row.createdAt;
    case 'endedAt':
      return row.terminatedAt ?? '';
    case 'duration': {
      const ms = durationMs(row);
      return ms === undefined ? '' : (ms / 1000).toFixed(3);
    }
    case 'error':
      return row.error ?? '';
    default:
      return '';
  }
}
