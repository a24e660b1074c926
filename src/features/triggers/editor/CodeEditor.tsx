/**
 * Monaco for trigger expressions and sample payloads (lazy chunk: import through `LazyEditors`).
 * Grows with its content between `minLines` and `maxLines`, shows problems as markers at their
 * line/column, Tab moves focus (it is a form field), Ctrl/⌘+Enter runs `onSubmit`.
 */
import { useEffect, useId, useRef, useState } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import { useColorScheme } from '../../../components/layout/theme';
import { markerRange } from './errors';
import { monaco, registerLanguages } from './monaco';
import type { CodeEditorProps, EditorProblem } from './types';

registerLanguages();

const LINE_HEIGHT = 19;
const PADDING = 12;

function applyMarkers(editor: Parameters<OnMount>[0] | null, problems: EditorProblem[]) {
  const model = editor?.getModel();
  if (!model) return;
  const text = model.getValue();
  monaco.editor.setModelMarkers(
    model,
    'flows',
    problems.map((p) => ({
      ...markerRange(text, p.line ?? 1, p.column ?? 1),
      message: p.message,
      severity: p.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error,
    })),
  );
}

export default function CodeEditor({
  value,
  onChange,
  onBlur,
  onSubmit,
  language,
  ariaLabel,
  problems = [],
  minLines = 1,
  maxLines = 12,
  placeholder,
  readOnly,
  id,
}: CodeEditorProps) {
  const dark = useColorScheme() === 'dark';
  const path = useId().replace(/:/g, '');
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);
  const [height, setHeight] = useState(minLines * LINE_HEIGHT + PADDING);
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  const blur = useRef(onBlur);
  blur.current = onBlur;

  const latestProblems = useRef(problems);
  latestProblems.current = problems;
  // Problems → markers, re-placed whenever the text or the problems change.
  useEffect(() => applyMarkers(editorRef.current, problems), [problems, value]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    const fit = () => setHeight(Math.min(Math.max(editor.getContentHeight(), minLines * LINE_HEIGHT + PADDING), maxLines * LINE_HEIGHT + PADDING));
    editor.onDidContentSizeChange(fit);
    editor.onDidBlurEditorText(() => blur.current?.());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => submit.current?.());
    fit();
    // Bracket pair colours are a model option in the standalone editor: calm, single-colour brackets.
    editor.getModel()?.updateOptions({ bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false } });
    // Problems known before Monaco loaded.
    applyMarkers(editor, latestProblems.current);
  };

  return (
    <div
      id={id}
      className="overflow-hidden rounded-md border border-line-strong bg-surface focus-within:border-accent focus-within:ring-2 focus-within:ring-accent/25"
      data-editor-language={language}
      data-problems={problems.length || undefined}
    >
      <Editor
        value={value}
        onChange={(v) => onChange?.(v ?? '')}
        language={language}
        path={`flows-${path}.${language === 'flows-json' ? 'json' : 'expr'}`}
        theme={dark ? 'flows-dark' : 'flows-light'}
        height={height}
        onMount={onMount}
        loading={<div className="h-full animate-pulse bg-subtle" />}
        options={{
          ariaLabel,
          placeholder,
          readOnly,
          minimap: { enabled: false },
          fontSize: 12.5,
          lineHeight: LINE_HEIGHT,
          fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
          lineNumbers: minLines > 1 ? 'on' : 'off',
          lineNumbersMinChars: 2,
          lineDecorationsWidth: 6,
          glyphMargin: false,
          folding: language === 'flows-json',
          wordWrap: 'on',
          scrollBeyondLastLine: false,
          overviewRulerLanes: 0,
          hideCursorInOverviewRuler: true,
          renderLineHighlight: 'none',
          scrollbar: { vertical: 'auto', horizontal: 'hidden', alwaysConsumeMouseWheel: false, verticalScrollbarSize: 8 },
          padding: { top: PADDING / 2, bottom: PADDING / 2 },
          automaticLayout: true,
          fixedOverflowWidgets: true,
          tabFocusMode: true,
          editContext: false,
          tabSize: 2,
          contextmenu: false,
          quickSuggestions: false,
          suggestOnTriggerCharacters: language === 'flows-expr',
          wordBasedSuggestions: 'off',
          stickyScroll: { enabled: false },
          guides: { indentation: false, bracketPairs: false },
        }}
      />
    </div>
  );
}
