/** /approvals/$approvalId — one held run: what it would do, and Approve / Reject. */
import { createFileRoute } from '@tanstack/react-router';
import { ApprovalDetail } from '../features/approvals/ApprovalDetail';

export const Route = createFileRoute('/approvals/$approvalId')({
  staticData: { crumb: (p) => (p.approvalId ? `Request ${p.approvalId.slice(0, 8)}` : 'Request') },
  component: ApprovalDetail,
});
