import { DiffEditor } from '@monaco-editor/react';
import { installMonacoEnvironment } from './monaco';
import { useColorScheme } from '../useColorScheme';

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
        onMount={(editor) => {
          // The diff editor drops these two options when it creates its sides: set them on each.
          editor.getOriginalEditor().updateOptions({ ariaLabel: `${label}: source (read-only)` });
          editor.getModifiedEditor().updateOptions({ ariaLabel: `${label}: new definition (read-only)` });
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
