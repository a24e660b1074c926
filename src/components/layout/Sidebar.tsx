import { Link } from '@tanstack/react-router';
import { Icon, type IconName } from '../Icon';

const NAV: { to: string; label: string; icon: IconName; exact?: boolean }[] = [
  { to: '/', label: 'Overview', icon: 'home', exact: true },
  { to: '/workflows', label: 'Workflows', icon: 'workflows' },
  { to: '/instances', label: 'Instances', icon: 'instances' },
  { to: '/triggers', label: 'Triggers', icon: 'triggers' },
  { to: '/approvals', label: 'Approvals', icon: 'check' },
  { to: '/audit', label: 'Audit log', icon: 'lock' },
];

const SANDBOX: { to: string; label: string; icon: IconName }[] = [
  { to: '/sandbox/ledger', label: 'Ledger', icon: 'ledger' },
  { to: '/sandbox/wallets', label: 'Wallets', icon: 'wallet' },
  { to: '/sandbox/payments', label: 'Payments', icon: 'payments' },
  { to: '/sandbox/events', label: 'Events', icon: 'events' },
];

const itemClass =
  'flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-[13px] text-muted hover:bg-hover hover:text-fg data-[status=active]:bg-accent-soft data-[status=active]:font-medium data-[status=active]:text-accent-strong';

export function Sidebar({ sandboxLabel }: { sandboxLabel: string }) {
  return (
    <aside className="hidden w-56 shrink-0 flex-col border-r border-line bg-surface md:flex">
      <div className="flex h-14 items-center gap-2 border-b border-line px-4">
        <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="7" className="fill-accent" />
          <path d="M9 10h14M9 16h9M9 22h5" stroke="white" strokeWidth="3" strokeLinecap="round" />
        </svg>
        <Link to="/" className="text-[15px] font-semibold tracking-tight">
          Flows Console
        </Link>
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto p-3">
        <ul className="space-y-0.5">
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} className={itemClass} activeOptions={{ exact: item.exact }}>
                <Icon name={item.icon} />
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-5 mb-1.5 px-2.5 text-[11px] font-semibold tracking-wider text-muted uppercase">{sandboxLabel}</p>
        <ul className="space-y-0.5">
          {SANDBOX.map((item) => (
            <li key={item.to}>
              <Link to={item.to} className={itemClass}>
                <Icon name={item.icon} />
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="border-t border-line p-3">
        <Link to="/settings" className={itemClass}>
          <Icon name="settings" />
          Settings
        </Link>
      </div>
    </aside>
  );
}

/** Compact navigation for narrow screens. */
export function MobileNav() {
  return (
    <nav aria-label="Sections" className="flex gap-1 overflow-x-auto border-b border-line bg-surface px-3 py-2 md:hidden">
      {[...NAV, ...SANDBOX, { to: '/settings', label: 'Settings', icon: 'settings' as IconName }].map((item) => (
        <Link key={item.to} to={item.to} className={itemClass} activeOptions={{ exact: 'exact' in item ? item.exact === true : false }}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
