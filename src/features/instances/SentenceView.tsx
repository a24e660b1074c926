import { Link } from '@tanstack/react-router';
import { Money } from '../../components/Money';
import { sentenceText, type Part } from './sentences';

/** Long ids (payment ids, holding accounts) shortened in the middle; the full text on hover. */
function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, 18)}…${text.slice(-10)}` : text;
}

const linkClass = 'font-mono text-[12.5px] text-accent-strong hover:underline';
const codeClass = 'rounded bg-subtle px-1 py-px font-mono text-[12.5px]';

/** One part of a sentence: accounts, transactions, wallets and payments link to the sandbox views. */
function PartView({ part }: { part: Part }) {
  if (typeof part === 'string') return <>{part}</>;
  if ('code' in part) {
    return (
      <code className={codeClass} title={part.code}>
        {shorten(part.code)}
      </code>
    );
  }
  if ('money' in part) return <Money amount={part.money} asset={part.asset} />;
  if ('account' in part) {
    if (!part.ledger) {
      return (
        <code className={codeClass} title={part.account}>
          {shorten(part.account)}
        </code>
      );
    }
    return (
      <Link to="/sandbox/ledger" search={{ ledger: part.ledger, account: part.account }} className={linkClass} title={`Account ${part.account} on ledger ${part.ledger}`}>
        {shorten(part.account)}
      </Link>
    );
  }
  if ('transaction' in part) {
    return (
      <Link
        to="/sandbox/ledger"
        search={{ ledger: part.ledger, tx: String(part.transaction) }}
        className={linkClass}
        title={`Transaction ${part.transaction} on ledger ${part.ledger}`}
      >
        #{String(part.transaction)}
      </Link>
    );
  }
  if ('wallet' in part) {
    const label = part.name ?? part.wallet ?? '?';
    return (
      <Link
        to="/sandbox/wallets"
        search={part.wallet ? { wallet: part.wallet } : { name: part.name }}
        className={linkClass}
        title={`Wallet ${part.name && part.wallet ? `${part.name} (${part.wallet})` : label}`}
      >
        {shorten(label)}
      </Link>
    );
  }
  if ('transfer' in part) {
    return (
      <Link
        to="/sandbox/payments"
        search={{ tab: 'transfers', reference: part.transfer }}
        className={linkClass}
        title={`Transfer initiation with reference ${part.transfer}`}
      >
        transfer
      </Link>
    );
  }
  if ('payment' in part) {
    return (
      <Link to="/sandbox/payments" search={{ payment: part.payment }} className={linkClass} title={`Payment ${part.payment}`}>
        {shorten(part.payment)}
      </Link>
    );
  }
  return (
    <Link to="/sandbox/ledger" search={{ ledger: part.ledger }} className={linkClass} title={`Ledger ${part.ledger}`}>
      {part.ledger}
    </Link>
  );
}

/** A readable sentence; its plain text is the accessible description for screen readers too. */
export function SentenceView({ parts, className }: { parts: readonly Part[]; className?: string }) {
  return (
    <span className={className} data-sentence={sentenceText(parts)}>
      {parts.map((p, i) => (
        <PartView key={i} part={p} />
      ))}
    </span>
  );
}
