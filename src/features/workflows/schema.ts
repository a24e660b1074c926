/**
 * JSON Schema (draft-07) of a workflow definition: every stage kind and every field, with the
 * server's create-time rules (server/stages) and docs for hovers. Monaco's JSON mode and
 * monaco-yaml both read it; `schema.test.ts` checks it field by field against the server's stage
 * specs and runs generated definitions through both `checkStages` and this schema.
 *
 * Deliberately stricter than the server in two ways, both typos or SDK traps the server lets pass:
 * unknown keys (the server ignores them silently) and `null` values (the server reads them as
 * absent, but the official SDK then mis-parses the stage, docs/compatibility.md: validation at create time).
 */

type Schema = Record<string, unknown>;

export const WORKFLOW_SCHEMA_URI = 'inmemory://flows-console/workflow.schema.json';

/** A `${name}` placeholder anywhere in a string: its value is only known at run time. */
const VAR = '\\$\\{[^}]+\\}';
/** Matches `pattern` exactly, or any string with a placeholder. */
const exactOrVar = (pattern: string) => `^(?:${pattern})$|${VAR}`;

/**
 * Delay durations (common/duration.ts): `300ms`, `1h30m`, never negative; `""` counts as
 * absent. A value past Go's int64 limit is beyond a pattern: the builder and the server say so.
 */
export const DURATION_PATTERN = exactOrVar('(?:[-+]?0|\\+?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+)?');
/** RFC 3339 dates with a zone; `""` counts as absent. */
export const DATE_PATTERN = exactOrVar(
  '(?:\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt ](?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:[Zz]|[+-](?:[01]\\d|2[0-3]):[0-5]\\d))?',
);
/** Integer amounts in minor units, as digits in a string; `""` counts as absent. */
export const AMOUNT_PATTERN = exactOrVar('\\d*');
/** `true` / `false` in any case; `""` counts as absent (the default applies). */
export const BOOL_PATTERN = exactOrVar('(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])?');
const PAYMENT_TYPE_PATTERN = exactOrVar('(?:[Tt][Rr][Aa][Nn][Ss][Ff][Ee][Rr]|[Pp][Aa][Yy][Oo][Uu][Tt])?');

const VARS_NOTE = ' Accepts `${variables}`.';

/**
 * The ledger a blank `ledger` means, per stage kind: upstream's defaults, which differ (a send's
 * accounts are on `default`, an update's on `main`). The builder shows them in its fields.
 */
export const LEDGER_DEFAULTS = { send: 'default', update: 'main' } as const;

/** Plain description for tooltips, markdown for Monaco hovers. */
function doc(markdown: string): Schema {
  return { description: markdown.replace(/`/g, ''), markdownDescription: markdown };
}

function str(markdown: string, opts: { default?: string; required?: boolean; examples?: string[] } = {}): Schema {
  return {
    type: 'string',
    ...doc(markdown + (opts.default !== undefined ? ` Default \`${JSON.stringify(opts.default)}\`.` : '') + VARS_NOTE),
    ...(opts.default !== undefined ? { default: opts.default } : {}),
    ...(opts.required ? { minLength: 1 } : {}),
    ...(opts.examples ? { examples: opts.examples } : {}),
  };
}

function bool(markdown: string, fallback: boolean): Schema {
  return {
    // Type-specific keywords: `pattern` only applies to strings.
    type: ['boolean', 'string'],
    ...doc(`${markdown} Default \`${fallback}\`. A boolean, or the string \`"true"\`/\`"false"\` (any case, e.g. from a variable).`),
    default: fallback,
    pattern: BOOL_PATTERN,
    patternErrorMessage: 'Expected true or false (or a ${variable}).',
  };
}

function map(markdown: string): Schema {
  return {
    type: 'object',
    ...doc(markdown),
    additionalProperties: { type: 'string', errorMessage: 'Metadata values are strings.' },
    default: {},
  };
}

function object(markdown: string, properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return {
    type: 'object',
    ...doc(markdown),
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
    ...extra,
  };
}

/** Exactly one of `keys` given: present and not `""` (the server's rule; `null` is refused anyway). */
function exactlyOneOf(keys: string[]): Schema {
  return {
    oneOf: keys.map((k) => ({
      required: [k],
      properties: { [k]: { not: { const: '' }, errorMessage: `"${k}" is empty.` } },
    })),
  };
}

const ledgerAccount = (side: 'source' | 'destination') =>
  object(
    side === 'source' ? 'A ledger account to take the funds from.' : 'A ledger account to credit.',
    {
      id: str('Account address on the ledger, e.g. `users:001` or `world`.', { required: true, examples: ['world', 'users:${userID}'] }),
      ledger: str(`Ledger name (note: \`${LEDGER_DEFAULTS.send}\` when blank, not \`${LEDGER_DEFAULTS.update}\` as in update).`, { default: LEDGER_DEFAULTS.send }),
      throughAccount: str(
        side === 'source'
          ? 'Bridge account on the source ledger when the destination is on another ledger.'
          : 'Bridge account on the destination ledger when the source is on another ledger.',
        { default: 'world' },
      ),
      allowOverdraft: bool(
        side === 'source' ? 'Let the source account go negative on cross-ledger moves and payouts.' : 'Let the bridge account go negative on cross-ledger moves.',
        false,
      ),
    },
    ['id'],
  );

const wallet = (side: 'source' | 'destination') =>
  object(
    side === 'source' ? 'A wallet to debit (by `id` or by `name`).' : 'A wallet to credit (by `id` or by `name`).',
    {
      id: str('Wallet id. Give `id` or `name`, not both.'),
      name: str('Wallet name (exact match). Give `id` or `name`, not both.'),
      balance: str(side === 'source' ? 'Balance to debit.' : 'Balance to credit (must already exist unless it is `main`).', { default: 'main' }),
    },
    [],
    exactlyOneOf(['id', 'name']),
  );

const paymentSource = object(
  "A payment (pay-in) to ingest into a holding account, then move. The amount defaults to the payment's own amount.",
  {
    id: str('Payment id.', { required: true, examples: ['${paymentID}'] }),
    ledger: str('Ledger where the payment is ingested.', { default: 'orchestration-000-internal' }),
    holdingAccount: str('Holding account of the ingested funds. Default `payment:<id with - replaced by _>`.'),
    throughAccount: str('Account the ingestion takes the funds from.', { default: 'world' }),
    allowOverdraft: bool('Let `throughAccount` go negative during ingestion.', false),
  },
  ['id'],
);

const paymentDestination = object('An external payment (transfer initiation) to a PSP account.', {
  psp: str('Connector / PSP name, e.g. `stripe`, `wise`.', { examples: ['stripe', 'wise'] }),
  type: {
    type: 'string',
    ...doc('`TRANSFER` or `PAYOUT` (any case). Default `"TRANSFER"`.' + VARS_NOTE),
    default: 'TRANSFER',
    examples: ['TRANSFER', 'PAYOUT'],
    pattern: PAYMENT_TYPE_PATTERN,
    patternErrorMessage: 'Expected TRANSFER or PAYOUT.',
  },
  sourceAccount: str('PSP account to pay from.'),
  metadata: str('Metadata key of the source account or wallet that holds the PSP destination account id.', { default: 'formanceAccountID' }),
  waitingValidation: bool('Create the transfer initiation waiting for validation.', false),
  connectorId: str('Connector id, when several connectors serve the same PSP.'),
  connectorID: { ...str('Spelling of `connectorId` used by the upstream docs; prefer `connectorId`.'), deprecationMessage: 'Prefer "connectorId".' },
});

const endpoint = (side: 'source' | 'destination') =>
  object(
    side === 'source'
      ? 'Where the money comes from: exactly one of `account`, `wallet`, `payment`.'
      : 'Where the money goes: exactly one of `account`, `wallet`, `payment`.',
    {
      account: ledgerAccount(side),
      wallet: wallet(side),
      payment: side === 'source' ? paymentSource : paymentDestination,
    },
    [],
    { minProperties: 1, maxProperties: 1 },
  );

const send = object(
  'Move money: from a ledger account, a wallet or a payment, to a ledger account, a wallet or an external payment.',
  {
    source: endpoint('source'),
    destination: endpoint('destination'),
    amount: object(
      'Amount in minor units with its asset (`USD/2` 1250 = 12.50 USD). Required unless the source is a payment.',
      {
        asset: str('Asset with its precision, e.g. `USD/2`, `EUR/2`, `JPY`.', { required: true, examples: ['USD/2', 'EUR/2'] }),
        amount: {
          // Type-specific keywords: `minimum` applies to numbers, `pattern` to strings.
          type: ['integer', 'string'],
          ...doc('Integer in minor units (`1250` = 12.50 for `USD/2`), as a number or a string of digits.' + VARS_NOTE),
          minimum: 0,
          pattern: AMOUNT_PATTERN,
          patternErrorMessage: 'Amounts are integers in minor units (digits only).',
        },
      },
      ['asset'],
    ),
    metadata: map('Metadata of the transactions (values are interpolated, keys are not).'),
    timestamp: {
      type: 'string',
      ...doc('Date of the ledger and wallet writes, RFC 3339.' + VARS_NOTE),
      pattern: DATE_PATTERN,
      patternErrorMessage: 'Expected an RFC 3339 date, e.g. 2024-07-01T00:00:00Z.',
    },
  },
  ['source', 'destination'],
  {
    // The pair rules of checkSendPair (server/stages/index.ts).
    if: { required: ['source'], properties: { source: { required: ['payment'] } } },
    then: {
      properties: {
        destination: { not: { required: ['payment'] }, errorMessage: 'Send from payment to payment is not supported.' },
      },
    },
    else: { required: ['amount'], properties: { amount: { required: ['amount'] } } },
  },
);

const delay = object(
  'Wait for a duration, or until a date. Exactly one of `duration`, `until`.',
  {
    duration: {
      type: 'string',
      ...doc('Go duration: `300ms`, `90s`, `1h30m` (units ns, us, ms, s, m, h; no days).' + VARS_NOTE),
      pattern: DURATION_PATTERN,
      patternErrorMessage: 'Expected a Go duration such as 300ms, 90s, 1h30m.',
      examples: ['30s', '1h'],
    },
    until: {
      type: 'string',
      ...doc('RFC 3339 date; a past date continues at once.' + VARS_NOTE),
      pattern: DATE_PATTERN,
      patternErrorMessage: 'Expected an RFC 3339 date, e.g. 2030-01-01T00:00:00Z.',
    },
  },
  [],
  exactlyOneOf(['duration', 'until']),
);

const waitEvent = object(
  'Block until an event with this exact name is sent to the instance.',
  { event: str('Event name (case-sensitive).', { required: true, examples: ['approved'] }) },
  ['event'],
);

const update = object(
  'Add metadata to a ledger account.',
  {
    account: object(
      'The account to update.',
      {
        id: str('Account address.', { required: true }),
        ledger: str(`Ledger name (note: \`${LEDGER_DEFAULTS.update}\` when blank, not \`${LEDGER_DEFAULTS.send}\` as in send).`, { default: LEDGER_DEFAULTS.update }),
        metadata: map('Metadata to add: string values, interpolated.'),
      },
      ['id', 'metadata'],
    ),
  },
  ['account'],
);

const noop = { ...doc('Does nothing and completes at once (any content is ignored).'), default: {} };

/** Snippet bodies: `^` marks raw snippet text (tab stops), other strings are inserted as JSON. */
const SNIPPETS = [
  {
    label: 'send: ledger account → wallet',
    body: {
      send: {
        source: { account: { id: '^"${1:world}"', ledger: '^"${2:default}"' } },
        destination: { wallet: { id: '^"${3:wallet-id}"', balance: 'main' } },
        amount: { asset: '^"${4:USD/2}"', amount: '^${5:100}' },
      },
    },
  },
  {
    label: 'send: ledger account → ledger account',
    body: {
      send: {
        source: { account: { id: '^"${1:world}"' } },
        destination: { account: { id: '^"${2:users:001}"' } },
        amount: { asset: '^"${3:USD/2}"', amount: '^${4:100}' },
      },
    },
  },
  {
    label: 'send: payment → wallet',
    body: { send: { source: { payment: { id: '^"${1:payment-id}"' } }, destination: { wallet: { id: '^"${2:wallet-id}"' } } } },
  },
  {
    label: 'send: wallet → payout',
    body: {
      send: {
        source: { wallet: { id: '^"${1:wallet-id}"' } },
        destination: { payment: { psp: '^"${2:stripe}"', type: 'PAYOUT' } },
        amount: { asset: '^"${3:USD/2}"', amount: '^${4:100}' },
      },
    },
  },
  { label: 'delay', body: { delay: { duration: '^"${1:30s}"' } } },
  { label: 'wait_event', body: { wait_event: { event: '^"${1:approved}"' } } },
  { label: 'update account metadata', body: { update: { account: { id: '^"${1:users:001}"', ledger: '^"${2:main}"', metadata: { '^"${3:key}"': '^"${4:value}"' } } } } },
  { label: 'noop', body: { noop: {} } },
];

const stage: Schema = {
  type: 'object',
  ...doc('A stage: an object with exactly one key, its kind — `send`, `delay`, `wait_event`, `update` or `noop`.'),
  properties: { send, delay, wait_event: waitEvent, update, noop },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  errorMessage: 'Unknown stage kind: use send, delay, wait_event, update or noop.',
  defaultSnippets: SNIPPETS,
};

export const workflowSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: WORKFLOW_SCHEMA_URI,
  title: 'Flows workflow definition',
  type: 'object',
  ...doc('A workflow: a name and stages that run in order. Definitions are immutable once created.'),
  properties: {
    name: { type: 'string', maxLength: 1024, ...doc('Display name (optional).') },
    stages: { type: 'array', maxItems: 1000, ...doc('Stages, run one after the other. May be empty.'), items: stage },
  },
  required: ['stages'],
  additionalProperties: false,
  defaultSnippets: [{ label: 'New workflow', body: { name: '^"${1:my-workflow}"', stages: ['^$0'] } }],
};

/** Keys this schema understands per stage kind (builder and docs use it). */
export const stageSchemas = { send, delay, wait_event: waitEvent, update, noop } as const;
