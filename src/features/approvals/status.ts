import type { Approval } from '../../api/approvals';
import type { Tone } from '../../lib/status';

/** How a request's status reads and looks. */
export const APPROVAL_STATUS: Record<Approval['status'], { label: string; tone: Tone }> = {
  pending: { label: 'Waiting for approval', tone: 'info' },
  approved: { label: 'Approved', tone: 'success' },
  rejected: { label: 'Rejected', tone: 'danger' },
  expired: { label: 'Expired', tone: 'warning' },
};

/** "approved, but the run could not start" is not a success. */
export function approvalStatus(a: Approval): { label: string; tone: Tone } {
  if (a.status === 'approved' && a.error) return { label: 'Approved, did not start', tone: 'danger' };
  return APPROVAL_STATUS[a.status];
}
