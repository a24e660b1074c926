/**
 * Monaco, bundled locally (never a CDN), with the trigger expression language and a light JSON
 * mode. Imported only by the lazy `CodeEditor` chunk: nothing here reaches the initial bundle.
 */
// The lean editor API plus only the contributions these small editors use (typing commands,
// brackets, clipboard, comments, undo, folding, find, marker navigation and hovers, line
// operations, placeholder, suggestions with snippets, word moves) — about a third of the full core.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/editor/browser/coreCommands.js';
import 'monaco-editor/esm/vs/editor/browser/widget/codeEditor/codeEditorWidget.js';
import 'monaco-editor/esm/vs/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/esm/vs/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController.js';
import 'monaco-editor/esm/vs/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
import 'monaco-editor/esm/vs/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/readOnlyMessage/browser/contribution.js';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { loader } from '@monaco-editor/react';
import { EXPR_BUILTINS, EXPR_CONSTANTS, EXPR_KEYWORDS, EXPR_LANGUAGE_ID, EXPR_WORD_OPERATORS, exprLanguageConfiguration, exprMonarch } from './exprLanguage';
import { completionPath, fieldsAt } from '../samples';
import { completionSample } from './completionSample';
import { JSON_LANGUAGE_ID, jsonLanguageConfiguration, jsonMonarch } from './jsonLanguage';

// Another page may already have configured Monaco's workers (one Monaco per app): keep theirs.
// Ours serves the editor worker, and the JSON worker on demand should a JSON mode ask for it.
const env = self as unknown as { MonacoEnvironment?: { getWorker?: (id: string, label: string) => Worker | Promise<Worker> } };
if (!env.MonacoEnvironment?.getWorker) {
  env.MonacoEnvironment = {
    getWorker: (_id, label) => (label === 'json' ? import('monaco-editor/esm/vs/language/json/json.worker.js?worker').then((m) => new m.default()) : new EditorWorker()),
  };
}

loader.config({ monaco });

let registered = false;

export function registerLanguages() {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: EXPR_LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(EXPR_LANGUAGE_ID, exprMonarch);
  monaco.languages.setLanguageConfiguration(EXPR_LANGUAGE_ID, exprLanguageConfiguration);
  monaco.languages.registerCompletionItemProvider(EXPR_LANGUAGE_ID, {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const before = model.getLineContent(position.lineNumber).slice(0, word.startColumn - 1);
      const K = monaco.languages.CompletionItemKind;
      const path = completionPath(before);
      if (path !== null) {
        return { suggestions: fieldsAt(completionSample(), path).map((f) => ({ label: f, kind: K.Field, insertText: f, range, detail: 'field of the sample event' })) };
      }
      if (/\.$/.test(before)) return { suggestions: [] };
      return {
        suggestions: [
          { label: 'event', kind: K.Variable, insertText: 'event', range, detail: 'the event payload', sortText: '0' },
          ...EXPR_BUILTINS.map((b) => ({
            label: b,
            kind: K.Function,
            insertText: `${b}($0)`,
            insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
            range,
            detail: 'builtin',
          })),
          ...[...EXPR_WORD_OPERATORS, ...EXPR_KEYWORDS].map((k) => ({ label: k, kind: K.Keyword, insertText: k, range })),
          ...EXPR_CONSTANTS.map((c) => ({ label: c, kind: K.Constant, insertText: c, range })),
        ],
      };
    },
  });

  monaco.languages.register({ id: JSON_LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(JSON_LANGUAGE_ID, jsonMonarch);
  monaco.languages.setLanguageConfiguration(JSON_LANGUAGE_ID, jsonLanguageConfiguration);

  // Token colours tuned to the console's palette (AA contrast on both backgrounds).
  const rules = (theme: 0 | 1) =>
    TOKEN_COLOURS.map(([token, light, dark, fontStyle]) => ({ token, foreground: theme ? dark : light, ...(fontStyle ? { fontStyle } : {}) }));
  monaco.editor.defineTheme('flows-light', {
    base: 'vs',
    inherit: true,
    rules: rules(0),
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#6b7280', 'editor.lineHighlightBackground': '#f6f7f9' },
  });
  monaco.editor.defineTheme('flows-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: rules(1),
    colors: { 'editor.background': '#141821', 'editorLineNumber.foreground': '#8a93a3', 'editor.lineHighlightBackground': '#1a1f2a' },
  });
}

/** token → [light, dark] foreground, and a font style for both. */
const TOKEN_COLOURS: [token: string, light: string, dark: string, fontStyle?: string][] = [
  ['variable.predefined', '4338ca', 'a5a0ff', 'bold'],
  ['keyword.operator', '9d174d', 'f472b6', 'bold'],
  ['keyword', '9d174d', 'f472b6'],
  ['predefined', '0f766e', '5eead4'],
  ['identifier.function', '0f766e', '5eead4'],
  ['identifier', '1f2937', 'e7eaf0'],
  ['constant', '1d4ed8', '93c5fd'],
  ['number', 'b45309', 'fcd34d'],
  ['string', '047857', '6ee7b7'],
  ['string.escape', '065f46', 'a7f3d0', 'bold'],
  ['operator', '6b21a8', 'd8b4fe'],
  ['delimiter', '586170', '9aa3b2'],
  ['comment', '6b7280', '9aa3b2', 'italic'],
  ['type.key', '4338ca', 'a5a0ff'],
  ['invalid', 'c9302c', 'f07470', 'underline'],
];

export { monaco };
