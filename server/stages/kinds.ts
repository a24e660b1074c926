import type { ObjectField } from './fields.js';

/** The stage kinds and their configs (upstream's stage configs), with defaults applied at run time. */

const account = (_side: 'Source' | 'Destination'): ObjectField => ({
  t: 'object',
  go: 'Account',
  fields: {
    id: { t: 'string', go: 'ID', required: true },
    ledger: { t: 'string', go: 'Ledger', default: 'default' },
    throughAccount: { t: 'string', go: 'ThroughAccount', default: 'world', hiddenAtDefault: true },
    allowOverdraft: { t: 'bool', go: 'AllowOverdraft', default: false, hiddenAtDefault: true },
  },
});

const wallet: ObjectField = {
  t: 'object',
  go: 'Wallet',
  fields: {
    id: { t: 'string', go: 'ID' },
    name: { t: 'string', go: 'Name' },
    balance: { t: 'string', go: 'Balance', default: 'main' },
  },
  oneOf: ['id', 'name'],
};

const paymentSource: ObjectField = {
  t: 'object',
  go: 'Payment',
  fields: {
    id: { t: 'string', go: 'ID', required: true },
    ledger: { t: 'string', go: 'Ledger', default: 'orchestration-000-internal', hiddenAtDefault: true },
    holdingAccount: { t: 'string', go: 'HoldingAccount' },
    throughAccount: { t: 'string', go: 'ThroughAccount', default: 'world', hiddenAtDefault: true },
    allowOverdraft: { t: 'bool', go: 'AllowOverdraft', default: false, hiddenAtDefault: true },
  },
};

const paymentDestination: ObjectField = {
  t: 'object',
  go: 'Payment',
  fields: {
    psp: { t: 'string', go: 'PSP' },
    type: { t: 'string', go: 'Type', default: 'TRANSFER', upper: true, enum: ['TRANSFER', 'PAYOUT'], hiddenAtDefault: true },
    sourceAccount: { t: 'string', go: 'SourceAccount' },
    metadata: { t: 'string', go: 'Metadata', default: 'formanceAccountID', hiddenAtDefault: true },
    waitingValidation: { t: 'bool', go: 'WaitingValidation', default: false, hiddenAtDefault: true },
    connectorId: { t: 'string', go: 'ConnectorID' },
  },
  aliases: { connectorID: 'connectorId' },
};

export const sendSpec: ObjectField = {
  t: 'object',
  go: 'Send',
  fields: {
    source: {
      t: 'object',
      go: 'Source',
      required: true,
      fields: { account: account('Source'), wallet, payment: paymentSource },
      oneOf: ['wallet', 'account', 'payment'],
    },
    destination: {
      t: 'object',
      go: 'Destination',
      required: true,
      fields: { account: account('Destination'), wallet, payment: paymentDestination },
      oneOf: ['wallet', 'account', 'payment'],
    },
    amount: {
      t: 'object',
      go: 'Amount',
      fields: { asset: { t: 'string', go: 'Asset', required: true }, amount: { t: 'amount', go: 'Amount' } },
    },
    metadata: { t: 'map', go: 'Metadata' },
    timestamp: { t: 'date', go: 'Timestamp' },
  },
};

export const delaySpec: ObjectField = {
  t: 'object',
  go: 'Delay',
  fields: { duration: { t: 'duration', go: 'Duration' }, until: { t: 'date', go: 'Until' } },
  oneOf: ['duration', 'until'],
};

export const waitEventSpec: ObjectField = {
  t: 'object',
  go: 'WaitEvent',
  fields: { event: { t: 'string', go: 'Event', required: true } },
};

export const updateSpec: ObjectField = {
  t: 'object',
  go: 'Update',
  fields: {
    account: {
      t: 'object',
      go: 'Account',
      required: true,
      fields: {
        id: { t: 'string', go: 'ID', required: true },
        ledger: { t: 'string', go: 'Ledger', default: 'main' },
        metadata: { t: 'map', go: 'Metadata', required: true },
      },
    },
  },
  oneOf: ['account'],
};

export const noopSpec: ObjectField = { t: 'object', go: 'NoOp', fields: {} };

export const STAGE_KINDS = {
  send: { spec: sendSpec, runName: 'RunSend' },
  delay: { spec: delaySpec, runName: 'RunDelay' },
  wait_event: { spec: waitEventSpec, runName: 'RunWaitEvent' },
  update: { spec: updateSpec, runName: 'RunUpdate' },
  noop: { spec: noopSpec, runName: 'RunNoop' },
} as const;

export type StageKind = keyof typeof STAGE_KINDS;
export const isStageKind = (k: string): k is StageKind => Object.hasOwn(STAGE_KINDS, k);
