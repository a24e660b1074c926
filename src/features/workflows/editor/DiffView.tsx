import { useEffect, useId, useRef, useState } from 'react';
import { DiffEditor } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { Button } from '../../../components/Button';
import { Icon } from '../../../components/Icon';
import { installMonacoEnvironment, monaco } from './monaco';
import { useColorScheme } from '../../../components/layout/theme';

/**
 * Keeps a label on one side of the diff. Monaco's diff editor re-applies its options to both sides whenever
 * any of them changes (e.g. it switches to the inline view when narrow), and each time it resets the sides'
 * `ariaLabel` to '' unless that very change carried `originalAriaLabel`/`modifiedAriaLabel`.
 */
function pinAriaLabel(side: MonacoEditor.ICodeEditor, label: string, ariaLabelOption: MonacoEditor.EditorOption.ariaLabel) {
  side.updateOptions({ ariaLabel: label });
  side.onDidChangeConfiguration(() => {
    if (side.getOption(ariaLabelOption) !== label) side.updateOptions({ ariaLabel: label });
  });
}

export interface DiffSummary {
  changes: number;
  added: number;
  removed: number;
}

/** Changed blocks and the lines they add and remove (a block may do both). */
export function summarizeLineChanges(changes: readonly MonacoEditor.ILineChange[]): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    if (c.modifiedEndLineNumber > 0) added += c.modifiedEndLineNumber - c.modifiedStartLineNumber + 1;
    if (c.originalEndLineNumber > 0) removed += c.originalEndLineNumber - c.originalStartLineNumber + 1;
  }
  return { changes: changes.length, added, removed };
}

/**
 * Monaco diff of two definitions (lazy-loaded), read-only, side by side, with a summary of the
 * changes and buttons to go from one change to the next.
 */
export default function DiffView({ original, modified, label, height = 420 }: { original: string; modified: string; label: string; height?: number }) {
  const scheme = useColorScheme();
  const editorRef = useRef<MonacoEditor.IStandaloneDiffEditor | null>(null);
  const [summary, setSummary] = useState<DiffSummary>();
  // Models of their own per view (the review dialog and the Changes tab may both be open), kept
  // by the wrapper when it disposes the editor and disposed just after it: disposing them first
  // made Monaco log "TextModel got disposed before DiffEditorWidget model got reset".
  const id = useId().replace(/:/g, '');
  const originalPath = `diff-${id}-source.json`;
  const modifiedPath = `diff-${id}-new.json`;
  useEffect(
    () => () => {
      setTimeout(() => {
        for (const path of [originalPath, modifiedPath]) monaco.editor.getModel(monaco.Uri.parse(path))?.dispose();
      });
    },
    [originalPath, modifiedPath],
  );

  const go = (target: 'next' | 'previous') => {
    const editor = editorRef.current;
    if (!editor) return;
    editor.goToDiff(target);
    editor.getModifiedEditor().focus();
  };

  return (
    <div role="group" aria-label={label}>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-[13px]">
        <p className="min-w-0 flex-1" data-testid="diff-summary" aria-live="polite">
          {!summary ? (
            <span className="text-muted">Comparing…</span>
          ) : summary.changes === 0 ? (
            'No changes.'
          ) : (
            <>
              {summary.changes} change{summary.changes === 1 ? '' : 's'}: <span className="font-medium text-emerald-700 dark:text-emerald-300">+{summary.added}</span>{' '}
              <span className="font-medium text-danger">−{summary.removed}</span> line{summary.added + summary.removed === 1 ? '' : 's'}
            </>
          )}
        </p>
        <Button size="sm" disabled={!summary?.changes} onClick={() => go('previous')}>
          <Icon name="arrowUp" size={14} /> Previous change
        </Button>
        <Button size="sm" disabled={!summary?.changes} onClick={() => go('next')}>
          <Icon name="arrowDown" size={14} /> Next change
        </Button>
      </div>
      <div className="overflow-hidden rounded-lg border border-line" data-testid="definition-diff">
        <DiffEditor
          height={height}
          language="json"
          original={original}
          modified={modified}
          originalModelPath={originalPath}
          modifiedModelPath={modifiedPath}
          keepCurrentOriginalModel
          keepCurrentModifiedModel
          theme={scheme === 'dark' ? 'vs-dark' : 'light'}
          beforeMount={() => installMonacoEnvironment()}
          onMount={(editor, m) => {
            editorRef.current = editor;
            pinAriaLabel(editor.getOriginalEditor(), `${label}: source (read-only)`, m.editor.EditorOption.ariaLabel);
            pinAriaLabel(editor.getModifiedEditor(), `${label}: new definition (read-only)`, m.editor.EditorOption.ariaLabel);
            const update = () => setSummary(summarizeLineChanges(editor.getLineChanges() ?? []));
            editor.onDidUpdateDiff(update);
            if (editor.getLineChanges()) update();
          }}
          loading={<div className="h-full w-full animate-pulse bg-subtle" role="status" aria-label="Loading the diff" />}
          options={{
            ariaLabel: label,
            readOnly: true,
            originalEditable: false,
            renderSideBySide: true,
            minimap: { enabled: false },
            fontSize: 13,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            renderOverviewRuler: false,
            tabFocusMode: true,
          }}
        />
      </div>
    </div>
  );
}
