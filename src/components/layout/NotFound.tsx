import { Link } from '@tanstack/react-router';
import { buttonClass } from '../Button';
import { EmptyState } from '../states';

export function NotFound() {
  return (
    <div className="rounded-xl border border-line bg-surface">
      <EmptyState
        icon="search"
        title="Page not found"
        action={
          <Link to="/workflows" className={buttonClass('primary')}>
            Go to workflows
          </Link>
        }
      >
        There is no page at this address. Check the link, or use the navigation (⌘K / Ctrl+K) to find what you are looking for.
      </EmptyState>
    </div>
  );
}
