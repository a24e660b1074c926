import { createFileRoute, Outlet } from '@tanstack/react-router';

export const Route = createFileRoute('/approvals')({
  staticData: { crumb: 'Approvals' },
  component: Outlet,
});
