import type { ReactNode } from 'react';
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
