import { useEffect, useId, useRef } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import { monaco, installMonacoEnvironment, WORKFLOW_JSON_SUFFIX, WORKFLOW_YAML_SUFFIX } from './monaco';
import { useColorScheme } from '../../../components/layout/theme';
import type { DefinitionFormat } from '../definitionText';

export interface EditorMarker {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface RevealRequest {
  line: number;
  column: number;
  /** A new object per request, so asking twice for the same place works. */
  nonce: number;
}

type CodeEditorType = Parameters<OnMount>[0];

/**
 * The definition editor (Monaco, lazy-loaded): JSON or YAML with the workflow schema for completion
 * of stage kinds and keys and hover docs. Its markers are the page's own problem list (syntax, the
 * definition check shared with the builder, the server's), so every view counts the same problems.
 */
export default function CodeEditor({
  format,
  value,
  version,
  onChange,
  modelName,
  readOnly,
  readOnlyReason,
  markers,
  reveal,
  label,
  height = 520,
}: {
  format: DefinitionFormat;
  /** The text; the editor takes it on mount and whenever `version` changes. */
  value: string;
  /** Bumped when `value` was changed outside this editor (typing here never bumps it). */
  version: number;
  onChange: (text: string) => void;
  /** Distinct per document (drafts of different workflows keep their own undo history). */
  modelName: string;
  readOnly?: boolean;
  readOnlyReason?: string;
  /** Every problem to mark (syntax, the definition check, the server's): the page's one list. */
  markers?: EditorMarker[];
  reveal?: RevealRequest;
  label: string;
  height?: number | string;
}) {
  const scheme = useColorScheme();
  const editorRef = useRef<CodeEditorType | null>(null);
  const hintId = useId();
  const path = `${modelName}${format === 'json' ? WORKFLOW_JSON_SUFFIX : WORKFLOW_YAML_SUFFIX}`;

  useEffect(() => {
    const model = monaco.editor.getModel(monaco.Uri.parse(path));
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'console',
      (markers ?? []).map((m) => ({
        startLineNumber: m.line,
        startColumn: m.column,
        endLineNumber: m.endLine ?? m.line,
        endColumn: m.endColumn ?? m.column + 1,
        message: m.message,
        severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        source: 'console',
      })),
    );
  }, [markers, path, value]);

  // Outside changes replace the text as one undoable edit; the editor's own typing never comes
  // back through here, so a late render with an older text cannot undo keystrokes.
  const latestValue = useRef(value);
  latestValue.current = value;
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || model.getValue() === latestValue.current) return;
    editor.executeEdits('outside', [{ range: model.getFullModelRange(), text: latestValue.current, forceMoveMarkers: true }]);
    editor.pushUndoStop();
  }, [version]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    editor.revealLineInCenter(reveal.line);
    editor.setPosition({ lineNumber: reveal.line, column: reveal.column });
    editor.focus();
  }, [reveal]);

  return (
    <div>
      <div className="overflow-hidden rounded-lg border border-line" data-testid={`editor-${format}`}>
        <Editor
          height={height}
          language={format}
          path={path}
          defaultValue={value}
          theme={scheme === 'dark' ? 'vs-dark' : 'light'}
          beforeMount={() => installMonacoEnvironment()}
          onMount={(editor) => {
            editorRef.current = editor;
            describeKeys(editor, hintId);
            const model = editor.getModel();
            // Always LF: a model made from one line would take the platform's line ending, and
            // CRLF text would differ from the definition's own for no reason.
            model?.setEOL(monaco.editor.EndOfLineSequence.LF);
            // Changes that arrived while Monaco was loading.
            if (model && model.getValue() !== latestValue.current) model.setValue(latestValue.current);
          }}
          onChange={(text) => onChange((text ?? '').replace(/\r\n?/g, '\n'))}
          loading={<div className="h-full w-full animate-pulse bg-subtle" aria-label="Loading the editor" role="status" />}
          options={{
            ariaLabel: label,
            readOnly,
            readOnlyMessage: readOnlyReason ? { value: readOnlyReason } : undefined,
            minimap: { enabled: false },
            fontSize: 13,
            tabSize: 2,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            fixedOverflowWidgets: true,
            quickSuggestions: { strings: true, other: true, comments: false },
            renderValidationDecorations: 'on',
            wordWrap: 'on',
            padding: { top: 8, bottom: 8 },
            // A field of a form: Tab moves on (lines indent by themselves on Enter), as the hint says.
            tabFocusMode: true,
          }}
        />
      </div>
      <EditorKeysHint id={hintId} />
    </div>
  );
}

/** The keys of an editor that behaves as a form field, said next to it and to screen readers. */
export function EditorKeysHint({ id }: { id: string }) {
  return (
    <p id={id} className="mt-1 text-xs text-muted" data-testid="editor-keys-hint">
      <kbd className="font-sans">Tab</kbd> and <kbd className="font-sans">Shift+Tab</kbd> leave the editor; lines indent on Enter.{' '}
      <kbd className="font-sans">Ctrl+Space</kbd> suggests keys and stage kinds.
    </p>
  );
}

/** Points the editor's text input (EditContext element or textarea) at the hint. */
export function describeKeys(editor: { getDomNode(): HTMLElement | null }, hintId: string) {
  editor.getDomNode()?.querySelector('.native-edit-context, textarea')?.setAttribute('aria-describedby', hintId);
}
