import { lazy, Suspense } from 'react';
import type { CodeEditorProps } from './types';

/** Monaco loads on first use only (its own chunk); the page stays usable meanwhile. */
const CodeEditor = lazy(() => import('./CodeEditor'));

function EditorFallback({ minLines = 1, ariaLabel }: Pick<CodeEditorProps, 'minLines' | 'ariaLabel'>) {
  return (
    <div role="status" aria-label={`Loading editor: ${ariaLabel}`} className="rounded-md border border-line-strong bg-subtle" style={{ height: minLines * 19 + 12 }} />
  );
}

/** An expression editor (filter, var) with the expr-lang tokenizer. */
export function ExpressionEditor(props: Omit<CodeEditorProps, 'language'>) {
  return (
    <Suspense fallback={<EditorFallback minLines={props.minLines} ariaLabel={props.ariaLabel} />}>
      <CodeEditor language="flows-expr" {...props} />
    </Suspense>
  );
}

/** A JSON editor (sample payloads). */
export function JsonEditor(props: Omit<CodeEditorProps, 'language'>) {
  return (
    <Suspense fallback={<EditorFallback minLines={props.minLines ?? 8} ariaLabel={props.ariaLabel} />}>
      <CodeEditor language="flows-json" minLines={8} maxLines={22} {...props} />
    </Suspense>
  );
}
