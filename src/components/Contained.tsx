import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Icon } from './Icon';

interface Props {
  /** What is shown here, for the message ("Status", "Timeline"). */
  label: string;
  /** `cell`: one line in a table cell; `panel`: a box standing in for a section of a page. */
  variant?: 'cell' | 'panel';
  /** A new value (a refreshed row, another stage) tries again. */
  resetKey?: unknown;
  children: ReactNode;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/**
 * Keeps a rendering failure where it happened: one row that cannot be shown (a value no
 * formatter expected) becomes an error cell or panel instead of taking the list or page down.
 */
export class Contained extends Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return Object.is(props.resetKey, state.resetKey) ? null : { resetKey: props.resetKey, error: null };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`Could not show ${this.props.label}:`, error, info.componentStack);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { label, variant = 'cell' } = this.props;
    if (variant === 'cell') {
      return (
        <span role="alert" className="inline-flex items-center gap-1 text-xs text-danger" title={`${label}: ${error.message}`} data-testid="contained-error">
          <Icon name="alert" size={12} /> Cannot show {label.toLowerCase()}
        </span>
      );
    }
    return (
      <div role="alert" className="mb-4 rounded-xl border border-line bg-surface px-4 py-3 text-[13px]" data-testid="contained-error">
        <p className="flex items-center gap-2 font-medium text-danger">
          <Icon name="alert" size={14} /> {label} cannot be shown
        </p>
        <p className="mt-1 font-mono text-xs break-words text-muted">{error.message}</p>
        <p className="mt-1 text-xs text-muted">The rest of the page is unaffected.</p>
        <button type="button" className="mt-2 text-xs text-accent-strong hover:underline" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
