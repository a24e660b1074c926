import { DiffEditor } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { installMonacoEnvironment } from './monaco';
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

/** Monaco diff of two definitions (lazy-loaded), read-only, side by side. */
export default function DiffView({ original, modified, label, height = 420 }: { original: string; modified: string; label: string; height?: number }) {
  const scheme = useColorScheme();
  return (
    <div className="overflow-hidden rounded-lg border border-line" data-testid="definition-diff" aria-label={label} role="group">
      <DiffEditor
        height={height}
        language="json"
        original={original}
        modified={modified}
        originalModelPath="diff-source.json"
        modifiedModelPath="diff-new.json"
        theme={scheme === 'dark' ? 'vs-dark' : 'light'}
        beforeMount={() => installMonacoEnvironment()}
        onMount={(editor, monaco) => {
          pinAriaLabel(editor.getOriginalEditor(), `${label}: source (read-only)`, monaco.editor.EditorOption.ariaLabel);
          pinAriaLabel(editor.getModifiedEditor(), `${label}: new definition (read-only)`, monaco.editor.EditorOption.ariaLabel);
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
        }}
      />
    </div>
  );
}
