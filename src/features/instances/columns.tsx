/**
 * The instance list's columns: which ones show and in what order (the URL's `cols`, a saved
 * view's `columns`), and how each cell renders. Ids and labels come from common/instance-columns
 * (shared with the server's CSV exports); a run variable is a column too (`$userID`).
 */
import type { ReactNode } from 'react';
import { Link } from '@tanstack/react-router';
import type { WorkflowInstance } from '../../api/types';
import type { Column } from '../../components/DataTable';
import { CopyButton } from '../../components/CopyButton';
import { Icon } from '../../components/Icon';
import { useNow } from '../../components/preferences';
import { Time } from '../../components/Time';
import { formatDuration } from '../../lib/time';
import { clip } from '../../lib/text';
import { columnLabel, ColumnListError, DEFAULT_LIST_COLUMNS, durationMs, parseColumnList, stageText, variableOfColumn } from '../../../common/instance-columns';

/** The URL's `cols` → the columns to show; absent or malformed → the default ones. */
export function listColumnIds(cols: string | undefined): string[] {
  if (!cols) return [...DEFAULT_LIST_COLUMNS];
  try {
    const ids = parseColumnList(cols);
    return ids.length ? ids : [...DEFAULT_LIST_COLUMNS];
  } catch (err) {
    if (err instanceof ColumnListError) return [...DEFAULT_LIST_COLUMNS];
    throw err;
  }
}

/** Columns → the URL's `cols`; the default set is no param at all. */
export function colsParam(ids: readonly string[]): string | undefined {
  return ids.join(',') === DEFAULT_LIST_COLUMNS.join(',') ? undefined : ids.join(',');
}

const shortId = (id: string) => (id.length > 20 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id);

function Elapsed({ instance }: { instance: WorkflowInstance }) {
  const now = useNow();
  const ms = durationMs(instance);
  if (ms !== undefined) return <span className="whitespace-nowrap tabular-nums">{formatDuration(ms)}</span>;
  return (
    <span className="whitespace-nowrap text-muted tabular-nums" title="Still running">
      {formatDuration(Math.max(0, now - Date.parse(instance.createdAt)))}…
    </span>
  );
}

export interface ColumnContext {
  /** the status cell (live while the run is running) */
  status: (i: WorkflowInstance) => ReactNode;
  triggerName: (id: string) => string | undefined;
  /** false in remote mode: upstream Flows does not record what started a run */
  provenance: boolean;
}

const header = (text: string) => <span className="whitespace-nowrap">{text}</span>;

/** One column of the list, by id; undefined for a column this mode cannot fill. */
export function instanceColumn(id: string, ctx: ColumnContext): Column<WorkflowInstance> | undefined {
  const variable = variableOfColumn(id);
  if (variable !== undefined) {
    return {
      id,
      header: <span className="font-mono normal-case">{columnLabel(id)}</span>,
      sortValue: (i) => i.variables?.[variable],
      cell: (i) => {
        const v = i.variables?.[variable];
        return v === undefined ? (
          <span className="text-muted">—</span>
        ) : (
          <span className="block max-w-[14rem] truncate font-mono text-[12.5px]" title={v}>
            {v}
          </span>
        );
      },
    };
  }
  switch (id) {
    case 'id':
      return {
        id,
        header: 'Instance',
        sortValue: (i) => i.id,
        cell: (i) => (
          <span className="inline-flex items-center gap-0.5 whitespace-nowrap">
            <Link to="/instances/$instanceId" params={{ instanceId: i.id }} className="font-mono text-[12.5px] text-accent-strong hover:underline" title={i.id}>
              {shortId(i.id)}
            </Link>
            <CopyButton text={i.id} label={`Copy instance id ${i.id}`} />
          </span>
        ),
      };
    case 'workflow':
      return {
        id,
        header: 'Workflow',
        sortValue: (i) => i.workflow?.config.name || i.workflowID,
        cell: (i) => (
          <Link
            to="/workflows/$workflowId"
            params={{ workflowId: i.workflowID }}
            className="block max-w-[12rem] truncate whitespace-nowrap hover:underline"
            title={`${i.workflow?.config.name || 'Workflow'} (${i.workflowID})`}
          >
            {i.workflow?.config.name || <span className="font-mono text-xs">{shortId(i.workflowID)}</span>}
          </Link>
        ),
      };
    case 'workflowID':
      return {
        id,
        header: header('Workflow id'),
        sortValue: (i) => i.workflowID,
        cell: (i) => <span className="font-mono text-xs whitespace-nowrap">{i.workflowID}</span>,
      };
    case 'status':
      return { id, header: 'Status', cell: ctx.status };
    case 'trigger':
      if (!ctx.provenance) return undefined;
      return {
        id,
        header: header('Started by'),
        sortValue: (i) => (i.triggerID ? (ctx.triggerName(i.triggerID) ?? i.triggerID) : ''),
        cell: (i) =>
          i.triggerID ? (
            <Link
              to="/triggers/$triggerId"
              params={{ triggerId: i.triggerID }}
              className="inline-flex items-center gap-1 whitespace-nowrap text-accent-strong hover:underline"
            >
              <Icon name="triggers" size={13} />
              {ctx.triggerName(i.triggerID) ?? 'Trigger'}
            </Link>
          ) : (
            <span className="whitespace-nowrap text-muted">By hand</span>
          ),
      };
    case 'stage':
      return {
        id,
        header: 'Stage',
        sortValue: (i) => i.currentStage,
        cell: (i) => (
          <span className="whitespace-nowrap">{i.terminated ? <span className="text-muted">—</span> : stageText(i) || <span className="text-muted">—</span>}</span>
        ),
      };
    case 'createdAt':
      return { id, header: 'Started', sortValue: (i) => i.createdAt, cell: (i) => <Time value={i.createdAt} /> };
    case 'endedAt':
      return {
        id,
        header: 'Ended',
        sortValue: (i) => i.terminatedAt,
        cell: (i) => (i.terminatedAt ? <Time value={i.terminatedAt} /> : <span className="text-muted">—</span>),
      };
    case 'duration':
      return { id, header: 'Duration', align: 'right', sortValue: (i) => durationMs(i), cell: (i) => <Elapsed instance={i} /> };
    case 'error':
      return {
        id,
        header: 'Error',
        sortValue: (i) => i.error,
        cell: (i) =>
          i.error ? (
            <span className="block max-w-[16rem] truncate text-danger" title={i.error}>
              {clip(i.error)}
            </span>
          ) : (
            <span className="text-muted">—</span>
          ),
      };
    default:
      return undefined;
  }
}
