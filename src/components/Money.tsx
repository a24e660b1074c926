import { amountSign, formatAmountCompact, parseAsset, type Amount } from '../lib/money';
import { cn } from '../lib/cn';

/** An amount in minor units shown with its asset's precision; hover shows the raw integer. */
export function Money({ amount, asset, signed, className }: { amount: Amount; asset: string; signed?: boolean; className?: string }) {
  const sign = amountSign(amount);
  return (
    <span className={cn('font-mono tabular-nums whitespace-nowrap', signed && sign < 0 && 'text-danger', className)} title={`${String(amount)} (${asset})`}>
      {formatAmountCompact(amount, asset)} <span className="text-muted">{parseAsset(asset).code}</span>
    </span>
  );
}
