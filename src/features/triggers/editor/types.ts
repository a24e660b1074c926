export interface EditorProblem {
  message: string;
  /** 1-based; the whole first line when unknown. */
  line?: number;
  /** 1-based, in code points (the server's columns). */
  column?: number;
  severity?: 'error' | 'warning';
}

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  onBlur?: () => void;
  /** Ctrl/⌘+Enter. */
  onSubmit?: () => void;
  language: 'flows-expr' | 'flows-json';
  /** Accessible name of the editor's text input. */
  ariaLabel: string;
  problems?: EditorProblem[];
  minLines?: number;
  maxLines?: number;
  placeholder?: string;
  readOnly?: boolean;
  /** id of the wrapper, for `aria-describedby` / label `htmlFor` pairs. */
  id?: string;
}
