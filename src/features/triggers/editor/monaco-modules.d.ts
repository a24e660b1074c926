// Monaco's editor core with its contributions but without the bundled languages (ours are
// Monarch-only): same API as editor.api.
declare module 'monaco-editor/esm/vs/editor/edcore.main.js' {
  export * from 'monaco-editor';
}
