import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useCreateView, useDeleteView, useUpdateView, viewsQuery, type SavedView, type ViewList } from '../../api/views';
import { Button } from '../../components/Button';
import { WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { CopyButton } from '../../components/CopyButton';
import { inputClass, Select } from '../../components/inputs';
import { clip } from '../../lib/text';
import { sameState, stateOfView, type ViewState } from './viewState';

// The save, rename and delete dialogs load when one is first opened: not part of a list's first load.
const ConfirmDialog = lazy(() => import('../../components/ConfirmDialog').then((m) => ({ default: m.ConfirmDialog })));

type Dialog = 'save' | 'rename' | 'delete' | undefined;

/**
 * Saved views of a list (instances, workflows, triggers), shared with the team (stored on the console server): pick one, save
 * the current filters, sort, columns and time range as a new one, update, rename, make default,
 * delete. Each view has a URL (`?view=<id>`). Opened bare, the list shows its default view.
 */
export function SavedViews({
  list,
  current,
  activeId,
  bare,
  onApply,
  holds = 'Filters, sort, columns and time range',
}: {
  list: ViewList;
  current: ViewState;
  /** the view the URL names */
  activeId: string | undefined;
  /** the URL holds no filter: a view named there (or the default) is applied on arrival */
  bare: boolean;
  /** shows this view's state (undefined: no view, the list's defaults) */
  onApply: (view: SavedView | undefined) => void;
  /** what a view of this list keeps, for the save dialog */
  holds?: string;
}) {
  const views = useQuery(viewsQuery(list));
  const active = views.data?.find((v) => v.id === activeId);
  const modified = !!active && !sameState(current, stateOfView(active));
  const create = useCreateView();
  const update = useUpdateView();
  const remove = useDeleteView();
  const refusal = useRefusal('saveView');
  const [dialog, setDialog] = useState<Dialog>();
  // Mounted from the first opening on (then kept, so a dialog can close as dialogs do).
  const [dialogUsed, setDialogUsed] = useState(false);
  if (dialog && !dialogUsed) setDialogUsed(true);
  const [name, setName] = useState('');
  const [makeDefault, setMakeDefault] = useState(false);
  const nameId = useId();

  // On arrival only: a link to a view, or the list opened bare (its default view).
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current || !views.data) return;
    arrived.current = true;
    if (!bare) return;
    const target = activeId ? views.data.find((v) => v.id === activeId) : views.data.find((v) => v.isDefault);
    if (target) onApply(target);
  }, [views.data, bare, activeId, onApply]);

  const link = active ? `${location.origin}${location.pathname}?view=${encodeURIComponent(active.id)}` : '';
  const stateBody = { filters: current.filters, sort: current.sort ?? null, columns: current.columns ?? null, timeRange: current.timeRange ?? null };

  return (
    <div className="mb-3 flex flex-wrap items-center gap-2" role="group" aria-label="Saved views">
      <Select label="View" style={{ maxWidth: '16rem' }} value={active?.id ?? ''} onChange={(e) => onApply(views.data?.find((v) => v.id === e.target.value))}>
        <option value="">{views.isPending ? 'Loading views…' : 'No saved view'}</option>
        {activeId && !active && !views.isPending && <option value={activeId}>Unknown view</option>}
        {(views.data ?? []).map((v) => (
          <option key={v.id} value={v.id}>
            {clip(v.name)}
            {v.isDefault ? ' (default)' : ''}
          </option>
        ))}
      </Select>
      {modified && (
        <span className="text-xs text-amber-800 dark:text-amber-300" data-testid="view-modified">
          Modified
        </span>
      )}
      {active && modified && (
        <WithReason reason={refusal}>
          <Button size="sm" variant="primary" disabled={update.isPending || !!refusal} onClick={() => update.mutate({ id: active.id, ...stateBody })}>
            Update view
          </Button>
        </WithReason>
      )}
      <WithReason reason={refusal}>
        <Button
          size="sm"
          disabled={!!refusal}
          onClick={() => {
            setName('');
            setMakeDefault(false);
            setDialog('save');
          }}
        >
          Save as new view…
        </Button>
      </WithReason>
      {active && (
        <>
          <WithReason reason={refusal}>
            <Button
              size="sm"
              variant="ghost"
              disabled={!!refusal}
              onClick={() => {
                setName(active.name);
                setDialog('rename');
              }}
            >
              Rename…
            </Button>
          </WithReason>
          <WithReason reason={refusal}>
            <Button size="sm" variant="ghost" disabled={update.isPending || !!refusal} onClick={() => update.mutate({ id: active.id, isDefault: !active.isDefault })}>
              {active.isDefault ? 'Unset default' : 'Make default'}
            </Button>
          </WithReason>
          <WithReason reason={refusal}>
            <Button size="sm" variant="ghost" disabled={!!refusal} onClick={() => setDialog('delete')}>
              Delete…
            </Button>
          </WithReason>
          <CopyButton text={link} label="Copy the link to this view" />
        </>
      )}
      {views.error && <span className="text-xs text-danger">Saved views unavailable</span>}

      {dialogUsed && (
        <Suspense fallback={null}>
          <ConfirmDialog
            open={dialog === 'save' || dialog === 'rename'}
            tone="primary"
            title={dialog === 'rename' ? 'Rename the view' : 'Save as a new view'}
            confirmLabel={dialog === 'rename' ? 'Rename' : 'Save view'}
            confirmDisabled={!name.trim()}
            onClose={() => setDialog(undefined)}
            onConfirm={async () => {
              if (dialog === 'rename' && active) {
                await update.mutateAsync({ id: active.id, name: name.trim() });
                return;
              }
              const view = await create.mutateAsync({ list, name: name.trim(), isDefault: makeDefault, ...stateBody });
              onApply(view);
            }}
          >
            {dialog === 'save' && <p className="mb-2">{holds} as they are now. Everyone using this console sees it.</p>}
            <label htmlFor={nameId} className="text-fg">
              Name
            </label>
            <input id={nameId} className={`${inputClass} mt-1 w-full`} maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
            {dialog === 'save' && (
              <label className="mt-2 flex items-center gap-2 text-fg">
                <input type="checkbox" className="size-4 accent-[var(--accent)]" checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} />
                Open this view when the list is opened without filters
              </label>
            )}
          </ConfirmDialog>
          <ConfirmDialog
            open={dialog === 'delete'}
            title={`Delete the view “${clip(active?.name ?? '', 40)}”?`}
            confirmLabel="Delete view"
            onClose={() => setDialog(undefined)}
            onConfirm={async () => {
              if (!active) return;
              await remove.mutateAsync(active);
              onApply(undefined);
            }}
          >
            It is deleted for everyone using this console. The runs it shows are not touched.
          </ConfirmDialog>
        </Suspense>
      )}
    </div>
  );
}
