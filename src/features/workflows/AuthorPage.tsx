import { lazy, Suspense, useCallback, useEffect, useReducer, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useCreateWorkflow, workflowQuery } from '../../api/workflows';
import type { Workflow, WorkflowConfig } from '../../api/types';
import { ApiError, errorText } from '../../api/errors';
import { Button } from '../../components/Button';
import { WithReason } from '../../components/WithReason';
import { useRefusal } from '../../api/access';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { inputClass } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Skeleton } from '../../components/states';
import { tabClass, TabList } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { cn } from '../../lib/cn';
import { authorReducer, initialAuthorState, lockedBy, type AuthorState } from './authorState';
import { canonicalDefinition } from './canonical';
import { Builder, type FocusRequest } from './builder/Builder';
import { formatDefinition, type DefinitionFormat } from './definitionText';
import { readDraft, type Draft } from './draft';
import type { RevealRequest } from './editor/CodeEditor';
import { parseServerProblems, type ServerProblem } from './serverErrors';
import { isUpstreamCreateRefusal, parseUpstreamCreateRefusal } from './upstreamErrors';
import { BLANK_DEFINITION, TEMPLATES } from './templates';
import { exportDefinition, FORMAT_LABEL, importDefinition } from './author/definitionFiles';
import { checksTitle, IgnoredKeysDialog, Notice, ProblemList, ProblemPanel, ReviewDialog } from './author/parts';
import { useAuthorDraft } from './author/useAuthorDraft';
import { useLeaveGuard } from './author/useLeaveGuard';
import { useSaveShortcut } from './author/useSaveShortcut';
import { useServerProblems } from './author/useServerProblems';
import { useDefinitionCheck } from './author/useDefinitionCheck';
import type { DefinitionProblem } from './validation';

const CodeEditor = lazy(() => import('./editor/CodeEditor'));
const DiffView = lazy(() => import('./editor/DiffView'));
const DryRunDialog = lazy(() => import('../simulation/DryRunDialog'));

const route = getRouteApi('/workflows/new');

export type AuthorView = 'builder' | 'json' | 'yaml' | 'changes';

/** New workflow, or "Duplicate & edit" of an existing one (`?from=<id>`): definitions are immutable. */
export function AuthorPage() {
  const { from } = route.useSearch();
  const source = useQuery({ ...workflowQuery(from ?? ''), enabled: !!from });
  if (from && !source.data) {
    return (
      <div className="space-y-4" role="status" aria-label="Loading">
        <Skeleton className="h-6 w-64" />
        <Skeleton className="h-96 w-full" />
      </div>
    );
  }
  return <Author key={from ?? 'new'} source={from ? source.data : undefined} />;
}

function startState(base: unknown, draft: Draft | undefined): AuthorState {
  const initial = initialAuthorState(base);
  if (!draft) return initial;
  const restored = authorReducer(initial, { type: 'text', format: draft.format, text: draft.text, source: 'draft' });
  return { ...restored, dirty: true };
}

function Author({ source }: { source?: Workflow }) {
  const { view } = route.useSearch();
  const navigate = useNavigate();
  const draftKey = source?.id ?? 'new';
  const base = useMemo(
    () => (source ? canonicalDefinition({ name: `${source.config.name || 'workflow'}-copy`, stages: source.config.stages }) : BLANK_DEFINITION),
    [source],
  );
  const [found] = useState(() => readDraft(draftKey));
  const [state, dispatch] = useReducer(authorReducer, undefined, () => startState(base, found));
  const draft = useAuthorDraft(draftKey, state, found);
  const { problems, markers, setProblems } = useServerProblems(state);
  const [saveError, setSaveError] = useState<string>();
  const [reveal, setReveal] = useState<Record<DefinitionFormat, RevealRequest | undefined>>({ json: undefined, yaml: undefined });
  const [focus, setFocus] = useState<FocusRequest>();
  const [visited, setVisited] = useState<Set<AuthorView>>(() => new Set([view]));
  const [pendingTemplate, setPendingTemplate] = useState<(typeof TEMPLATES)[number]>();
  const [discarding, setDiscarding] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [dryRunning, setDryRunning] = useState<{ stages: unknown[]; name?: string }>();
  const fileInput = useRef<HTMLInputElement>(null);
  const create = useCreateWorkflow();
  const authorRefusal = useRefusal('authorWorkflow');
  const locked = lockedBy(state);
  /** Set once the workflow is created: leaving for its page needs no question. */
  const created = useRef(false);
  const leaveGuard = useLeaveGuard(() => state.dirty && !created.current);

  useEffect(() => setVisited((v) => (v.has(view) ? v : new Set([...v, view]))), [view]);

  // Fetch Monaco in the background once the page is up, so the JSON and YAML tabs open at once.
  useEffect(() => {
    const timer = setTimeout(() => void import('./editor/CodeEditor'), 1000);
    return () => clearTimeout(timer);
  }, []);

  const goTo = useCallback((next: AuthorView) => void navigate({ to: '/workflows/new', search: (prev) => ({ ...prev, view: next }) }), [navigate]);

  const load = (definition: unknown, dirty: boolean) => {
    dispatch({ type: 'load', definition, dirty });
    setProblems([]);
    setSaveError(undefined);
  };

  const onBuilderChange = useCallback((definition: unknown) => dispatch({ type: 'builder', definition }), []);
  const onText = useCallback((format: DefinitionFormat, text: string) => dispatch({ type: 'text', format, text }), []);

  async function save() {
    setProblems([]);
    setSaveError(undefined);
    const submitted = state.definition;
    try {
      const workflow = await create.mutateAsync(submitted as WorkflowConfig);
      draft.markSaved();
      created.current = true;
      setReviewing(false);
      await navigate({ to: '/workflows/$workflowId', params: { workflowId: workflow.id } });
    } catch (err) {
      setReviewing(false);
      if (err instanceof ApiError && err.errorCode === 'VALIDATION') setProblems(parseServerProblems(err.errorMessage, submitted), submitted);
      // A Formance stack refuses an invalid stage with 500 `creating workflow: …` (remote mode).
      else if (isUpstreamCreateRefusal(err)) setProblems(parseUpstreamCreateRefusal(err.errorMessage, submitted), submitted);
      else setSaveError(errorText(err));
    }
  }

  const { checks, blocking, ignoredKeys, checkMarkers, editorMarkers } = useDefinitionCheck(state, locked, markers);

  const canSave = !authorRefusal && !locked && blocking.length === 0 && !create.isPending;
  const saveBlockedReason = locked
    ? `Fix the ${FORMAT_LABEL[locked]} syntax error first (line ${state[locked].problem!.line}, column ${state[locked].problem!.column}).`
    : blocking.length
      ? `Fix ${blocking.length === 1 ? 'the problem' : `the ${blocking.length} problems`} listed above first.`
      : undefined;
  const [confirmingIgnored, setConfirmingIgnored] = useState(false);
  const proceedToSave = () => {
    if (source) setReviewing(true);
    else void save();
  };
  const requestSave = () => {
    if (!canSave) return;
    if (ignoredKeys.length) setConfirmingIgnored(true);
    else proceedToSave();
  };
  useSaveShortcut(requestSave);

  async function importFile(file: File) {
    const { format, ok } = await importDefinition(file, dispatch);
    setProblems([]);
    setSaveError(undefined);
    if (!ok) goTo(format);
  }

  const showProblem = (p: ServerProblem | DefinitionProblem) => {
    if (view === 'json' || view === 'yaml') {
      const server = problems.indexOf(p as ServerProblem);
      const m = server >= 0 ? markers[view][server] : checkMarkers[view][checks.indexOf(p as DefinitionProblem)];
      if (m) setReveal((r) => ({ ...r, [view]: { line: m.line, column: m.column, nonce: Date.now() } }));
    } else {
      if (view !== 'builder') goTo('builder');
      setFocus({ path: p.path, nonce: Date.now() });
    }
  };

  const tabs: { id: AuthorView; label: string; count?: number }[] = [
    { id: 'builder', label: 'Builder' },
    { id: 'json', label: 'JSON', count: editorMarkers('json').length },
    { id: 'yaml', label: 'YAML', count: editorMarkers('yaml').length },
    ...(source ? [{ id: 'changes' as const, label: 'Changes' }] : []),
  ];

  // Both sides in the builder's key order: the server reorders keys (jsonb), the diff shows real changes only.
  const sourceJson = source ? formatDefinition(canonicalDefinition(source.config), 'json') : '';
  const newJson = formatDefinition(canonicalDefinition(state.definition), 'json');
  const unchanged = sourceJson === newJson;

  return (
    <>
      <PageHeader
        title={source ? `Duplicate “${source.config.name || source.id}”` : 'New workflow'}
        description={
          source ? (
            <>
              Definitions are immutable: saving creates a new workflow. The source{' '}
              <Link to="/workflows/$workflowId" params={{ workflowId: source.id }} className="text-accent-strong underline">
                {source.config.name || source.id}
              </Link>{' '}
              stays as it is.
            </>
          ) : (
            'Build the stages visually or write the definition in JSON or YAML: all three stay in sync.'
          )
        }
        actions={
          <>
            <label className="sr-only" htmlFor="workflow-template">
              Start from a template
            </label>
            <select
              id="workflow-template"
              className={cn(inputClass, 'pr-7')}
              value=""
              onChange={(e) => {
                const t = TEMPLATES.find((x) => x.id === e.target.value);
                if (!t) return;
                if (state.dirty) setPendingTemplate(t);
                else load(t.definition, true);
              }}
            >
              <option value="">Start from a template…</option>
              {TEMPLATES.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
            <Button onClick={() => fileInput.current?.click()} title="Import a JSON or YAML definition file">
              Import
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
              className="hidden"
              data-testid="import-file"
              aria-label="Import a definition file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importFile(file);
              }}
            />
            <Button disabled={!!locked} title={saveBlockedReason ?? 'Download the definition as JSON'} onClick={() => exportDefinition(state, 'json')}>
              Export JSON
            </Button>
            <Button disabled={!!locked} title={saveBlockedReason ?? 'Download the definition as YAML'} onClick={() => exportDefinition(state, 'yaml')}>
              Export YAML
            </Button>
            {state.dirty && (
              <Button variant="ghost" onClick={() => setDiscarding(true)}>
                Discard draft
              </Button>
            )}
            <Button
              disabled={!!locked}
              title={saveBlockedReason ?? 'What this definition would do with money; nothing is written'}
              onClick={() => {
                const d = state.definition as { name?: string; stages?: unknown };
                setDryRunning({ name: d?.name, stages: Array.isArray(d?.stages) ? d.stages : [] });
              }}
            >
              Dry run
            </Button>
            <WithReason reason={authorRefusal ?? saveBlockedReason}>
              <Button variant="primary" disabled={!canSave} onClick={requestSave}>
                {create.isPending ? 'Saving…' : source ? 'Review & create' : 'Create workflow'}
              </Button>
            </WithReason>
          </>
        }
      />

      {authorRefusal && <Notice tone="info">{authorRefusal}: you may draft and dry-run a definition here, not create it.</Notice>}

      {draft.restored && (
        <Notice tone="info" onDismiss={draft.dismissRestored}>
          Restored your unsaved draft from <Time value={draft.restored.savedAt} />.{' '}
          <button type="button" className="font-medium text-accent-strong hover:underline" onClick={() => setDiscarding(true)}>
            Discard it
          </button>
        </Notice>
      )}

      {saveError && (
        <Notice tone="danger" onDismiss={() => setSaveError(undefined)}>
          Could not create the workflow: {saveError}
        </Notice>
      )}

      {problems.length > 0 && (
        <ProblemPanel
          tone="danger"
          testId="server-problems"
          title={`The server refused the definition (${problems.length} problem${problems.length === 1 ? '' : 's'}). They are marked on the fields and lines they concern.`}
          problems={problems}
          onPick={showProblem}
        />
      )}

      {checks.length > 0 && (
        <ProblemPanel tone="warning" testId="definition-problems" title={checksTitle(blocking.length, ignoredKeys.length)} problems={checks} onPick={showProblem} />
      )}

      <TabList label="Definition views">
        {tabs.map((t) => (
          <Link
            key={t.id}
            to="/workflows/new"
            search={(prev) => ({ ...prev, view: t.id })}
            className={tabClass(view === t.id)}
            aria-current={view === t.id ? 'page' : undefined}
          >
            {t.label}
            {!!t.count && (
              <span className="rounded-full bg-danger-soft px-1.5 text-[11px] font-semibold text-danger" aria-label={`${t.count} problems`}>
                {t.count}
              </span>
            )}
          </Link>
        ))}
      </TabList>

      {locked && view !== locked && view !== 'changes' && (
        <Notice tone="warning">
          The {FORMAT_LABEL[locked]} has a syntax error (line {state[locked].problem!.line}, column {state[locked].problem!.column}: {state[locked].problem!.message}).
          Your text is kept as typed; this view is read-only until it is fixed.{' '}
          <button type="button" className="font-medium text-accent-strong hover:underline" onClick={() => goTo(locked)}>
            Fix it in {FORMAT_LABEL[locked]}
          </button>
        </Notice>
      )}

      {view === 'builder' && (
        <Builder definition={state.definition} revision={state.revision} readOnly={!!locked} serverProblems={problems} focus={focus} onChange={onBuilderChange} />
      )}

      {(['json', 'yaml'] as const).map(
        (format) =>
          visited.has(format) && (
            <div key={format} hidden={view !== format}>
              <Suspense fallback={<Skeleton className="h-[520px] w-full" />}>
                <CodeEditor
                  format={format}
                  value={state[format].text}
                  version={state[format].version}
                  onChange={(text) => onText(format, text)}
                  modelName={`${draftKey}`}
                  readOnly={!!locked && locked !== format}
                  readOnlyReason={locked && locked !== format ? `Fix the ${FORMAT_LABEL[locked]} first: this editor is read-only meanwhile.` : undefined}
                  markers={editorMarkers(format)}
                  reveal={reveal[format]}
                  label={`Workflow definition (${FORMAT_LABEL[format]})`}
                />
              </Suspense>
              <ProblemList problems={editorMarkers(format)} onPick={(line, column) => setReveal((r) => ({ ...r, [format]: { line, column, nonce: Date.now() } }))} />
            </div>
          ),
      )}

      {view === 'changes' && source && (
        <Suspense fallback={<Skeleton className="h-[420px] w-full" />}>
          <p className="mb-2 text-[13px] text-muted">
            Left: the source workflow. Right: the new definition{unchanged ? ' — no changes yet.' : '.'} Keys are shown in a standard order.
          </p>
          <DiffView original={sourceJson} modified={newJson} label="Changes against the source workflow" />
        </Suspense>
      )}

      <ConfirmDialog
        open={!!pendingTemplate}
        title="Replace the definition?"
        tone="primary"
        confirmLabel="Use the template"
        onClose={() => setPendingTemplate(undefined)}
        onConfirm={() => {
          if (pendingTemplate) load(pendingTemplate.definition, true);
        }}
      >
        <p>The current definition is replaced by the “{pendingTemplate?.label}” template. Your draft is overwritten.</p>
      </ConfirmDialog>

      <IgnoredKeysDialog open={confirmingIgnored} keys={ignoredKeys} onClose={() => setConfirmingIgnored(false)} onConfirm={proceedToSave} />

      <ConfirmDialog
        open={leaveGuard.asking}
        title="Leave without creating the workflow?"
        tone="primary"
        confirmLabel="Leave"
        onClose={leaveGuard.stay}
        onConfirm={leaveGuard.leave}
      >
        <p>
          The workflow is not created yet. Your changes stay in this browser as a draft: New workflow{source ? ' (for this duplicate)' : ''} restores them when you come
          back.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={discarding}
        title="Discard the draft?"
        confirmLabel="Discard draft"
        onClose={() => setDiscarding(false)}
        onConfirm={() => {
          draft.discard();
          load(base, false);
        }}
      >
        <p>{source ? 'The definition goes back to a copy of the source workflow.' : 'The definition goes back to an empty workflow.'} Unsaved changes are lost.</p>
      </ConfirmDialog>

      {source && (
        <ReviewDialog open={reviewing} unchanged={unchanged} pending={create.isPending} onClose={() => setReviewing(false)} onConfirm={() => void save()}>
          <Suspense fallback={<Skeleton className="h-[420px] w-full" />}>
            <DiffView original={sourceJson} modified={newJson} label="Changes against the source workflow" height={440} />
          </Suspense>
        </ReviewDialog>
      )}

      {dryRunning && (
        <Suspense fallback={null}>
          <DryRunDialog target={{ definition: dryRunning }} onClose={() => setDryRunning(undefined)} />
        </Suspense>
      )}
    </>
  );
}
