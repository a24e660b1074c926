/**
 * Platform event types known to the console (the stack's services' events). Triggers accept any
 * upper-snake-case type, so newer services' events still work; these feed the UI's picker and
 * the hint for a misspelled type.
 */
export const KNOWN_EVENT_TYPES = {
  ledger: ['COMMITTED_TRANSACTIONS', 'SAVED_METADATA', 'REVERTED_TRANSACTION', 'DELETED_METADATA', 'INSERTED_SCHEMA'],
  payments: [
    'SAVED_PAYMENT',
    'SAVED_ACCOUNT',
    'SAVED_BALANCE',
    'SAVED_BANK_ACCOUNT',
    'SAVED_PAYMENT_INITIATION',
    'DELETED_PAYMENT',
    'CONNECTOR_RESET',
    'SAVED_POOL',
    'DELETED_POOL',
  ],
  orchestration: [
    'STARTED_WORKFLOW',
    'STARTED_WORKFLOW_STAGE',
    'SUCCEEDED_WORKFLOW_STAGE',
    'FAILED_WORKFLOW_STAGE',
    'SUCCEEDED_WORKFLOW',
    'FAILED_WORKFLOW',
    'SUCCEEDED_TRIGGER',
    'FAILED_TRIGGER',
  ],
} as const;

const ALL = Object.values(KNOWN_EVENT_TYPES).flat() as string[];
const EVENT_TYPE = /^[A-Z][A-Z0-9_]{0,99}$/;

/** Event types with at most one firing per (trigger, payload id). */
export const DEDUPED_EVENT_TYPES = new Set(['SAVED_PAYMENT', 'SAVED_ACCOUNT']);

/** null when acceptable; otherwise why not (with a suggestion for dotted/lower-case names). */
export function eventTypeProblem(type: string): string | null {
  if (EVENT_TYPE.test(type)) return null;
  const guess = type.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const suggestion = ALL.find((t) => t === guess || guess.endsWith(t));
  return `unknown event type '${type.slice(0, 100)}': event types are upper snake case such as COMMITTED_TRANSACTIONS or SAVED_PAYMENT${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
}
