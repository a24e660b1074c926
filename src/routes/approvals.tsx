import { createFileRoute } from '@tanstack/react-router';

// No component: its children render in its place (an Outlet), without a lazy chunk of its own.

export const Route = createFileRoute('/approvals')({
  staticData: { crumb: 'Approvals' },
});
