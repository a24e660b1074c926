/**
 * /approvals — runs held for approval (four eyes).
 *   ?status=pending (default) | approved | rejected | expired | all
 */
import { createFileRoute, stripSearchParams } from '@tanstack/react-router';
import { enumParam, v } from '../lib/search';
import { ApprovalsPage } from '../features/approvals/ApprovalsPage';

const searchSchema = v.object({
  status: enumParam(['pending', 'approved', 'rejected', 'expired', 'all'], 'pending'),
});

export const Route = createFileRoute('/approvals/')({
  validateSearch: searchSchema,
  search: { middlewares: [stripSearchParams({ status: 'pending' })] },
  component: ApprovalsPage,
});
