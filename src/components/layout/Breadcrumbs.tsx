import { Link, useMatches } from '@tanstack/react-router';
import { useIsRemote } from '../../api/info';
import { Icon } from '../Icon';

export function Breadcrumbs() {
  const matches = useMatches();
  const remote = useIsRemote();
  const crumbs = matches
    .filter((m) => m.staticData?.crumb)
    .map((m) => {
      const crumb = (remote && m.staticData.remoteCrumb) || m.staticData.crumb!;
      return { id: m.id, label: typeof crumb === 'function' ? crumb(m.params as Record<string, string>) : crumb, pathname: m.pathname };
    })
    // Layout + index routes share a label: keep one.
    .filter((c, i, all) => i === 0 || c.label !== all[i - 1]!.label);
  // A section's own page needs no trail: its title says where you are.
  if (crumbs.length < 2) return null;
  return (
    <nav aria-label="Breadcrumb" className="mb-3 text-[13px]">
      <ol className="flex flex-wrap items-center gap-1 text-muted">
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={c.id} className="flex min-w-0 items-center gap-1">
              {i > 0 && <Icon name="chevronRight" size={12} className="shrink-0 opacity-60" />}
              {last ? (
                <span aria-current="page" className="max-w-[min(24rem,70vw)] truncate font-medium text-fg" title={c.label}>
                  {c.label}
                </span>
              ) : (
                <Link to={c.pathname} className="max-w-[min(24rem,70vw)] truncate hover:text-fg hover:underline" title={c.label}>
                  {c.label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
