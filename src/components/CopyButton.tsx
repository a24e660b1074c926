import { useEffect, useRef, useState } from 'react';
import { cn } from '../lib/cn';
import { Icon } from './Icon';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (non-secure context): fall back to a hidden textarea.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand?.('copy') ?? false;
    area.remove();
    return ok;
  }
}

export function CopyButton({ text, label = 'Copy', className }: { text: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      aria-label={copied ? 'Copied' : label}
      title={copied ? 'Copied' : label}
      className={cn('inline-flex size-6 shrink-0 items-center justify-center rounded text-muted hover:bg-hover hover:text-fg', className)}
      onClick={async (e) => {
        e.preventDefault();
        e.stopPropagation();
        if (await copyText(text)) {
          setCopied(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 1500);
        }
      }}
    >
      <Icon name={copied ? 'check' : 'copy'} size={14} className={copied ? 'text-emerald-600 dark:text-emerald-400' : undefined} />
    </button>
  );
}

/** A monospace id, shortened in the middle when long, with a copy button. */
export function IdText({ id, short = true, className }: { id: string; short?: boolean; className?: string }) {
  const shown = short && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
  return (
    <span className={cn('inline-flex items-center gap-0.5 font-mono text-[12.5px]', className)}>
      {/* An id is one word: it never breaks across lines (a hyphen or the ellipsis would let it). */}
      <span title={id} className="whitespace-nowrap">
        {shown}
      </span>
      <CopyButton text={id} label={`Copy ${id}`} />
    </span>
  );
}
