import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import { Icon } from './Icon';
import { Button, type ButtonVariant } from './Button';

/**
 * Why a control is disabled (already terminated, needs the operator role, …), on hover: a
 * disabled button shows no title of its own, so the wrapper carries it.
 */
export function WithReason({ reason, children }: { reason?: string; children: ReactNode }) {
  return (
    <span title={reason} className="inline-flex">
      {children}
    </span>
  );
}

/** What stands in for a link the caller may not follow (New workflow for a viewer): disabled, saying why. */
export function DisabledAction({
  reason,
  variant,
  size,
  label,
  children,
}: {
  reason: string;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  label?: string;
  children: ReactNode;
}) {
  return (
    <WithReason reason={reason}>
      <Button variant={variant} size={size} disabled aria-label={label}>
        {children}
      </Button>
    </WithReason>
  );
}

/**
 * A refusal in words beside a form's disabled submit ("Needs the admin role — you are signed in
 * as viewer"): a title shows on hover only, never on a touch screen.
 */
export function RefusalNote({ reason, className }: { reason?: string; className?: string }) {
  if (!reason) return null;
  return (
    <p className={cn('inline-flex items-center gap-1.5 text-xs text-muted', className)} data-testid="refusal">
      <Icon name="lock" size={12} className="shrink-0" />
      {reason}
    </p>
  );
}
