/**
 * A definition with its keys in one standard order — the order the builder writes. The server
 * stores definitions as PostgreSQL jsonb, which reorders keys; putting both sides of a diff in the
 * same order keeps the diff to real changes.
 */

interface Order {
  keys: readonly string[];
  children?: Record<string, Order>;
  items?: Order;
}

const account: Order = { keys: ['id', 'ledger', 'throughAccount', 'allowOverdraft'] };
const wallet: Order = { keys: ['id', 'name', 'balance'] };
const endpoint = (payment: Order): Order => ({ keys: ['account', 'wallet', 'payment'], children: { account, wallet, payment } });

const STAGE: Order = {
  keys: ['send', 'delay', 'wait_event', 'update', 'noop'],
  children: {
    send: {
      keys: ['source', 'destination', 'amount', 'metadata', 'timestamp'],
      children: {
        source: endpoint({ keys: ['id', 'ledger', 'holdingAccount', 'throughAccount', 'allowOverdraft'] }),
        destination: endpoint({ keys: ['psp', 'type', 'sourceAccount', 'metadata', 'waitingValidation', 'connectorId', 'connectorID'] }),
        amount: { keys: ['asset', 'amount'] },
      },
    },
    delay: { keys: ['duration', 'until'] },
    wait_event: { keys: ['event'] },
    update: { keys: ['account'], children: { account: { keys: ['id', 'ledger', 'metadata'] } } },
  },
};

const DEFINITION: Order = { keys: ['name', 'stages'], children: { stages: { keys: [], items: STAGE } } };

function order(value: unknown, spec: Order | undefined): unknown {
  if (!spec) return value;
  if (Array.isArray(value)) return spec.items ? value.map((v) => order(v, spec.items)) : value;
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = [...spec.keys.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !spec.keys.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, order(obj[k], spec.children?.[k])]));
}

export function canonicalDefinition<T>(definition: T): T {
  return order(definition, DEFINITION) as T;
}
