/** Starting points for common flows. Values in `${…}` are asked for when the workflow runs. */

export interface WorkflowTemplate {
  id: string;
  label: string;
  description: string;
  definition: { name: string; stages: unknown[] };
}

export const TEMPLATES: WorkflowTemplate[] = [
  {
    id: 'ledger-to-wallet',
    label: 'Ledger → wallet',
    description: 'Credit a wallet from a ledger account.',
    definition: {
      name: 'ledger-to-wallet',
      stages: [
        {
          send: {
            source: { account: { id: 'world', ledger: 'default' } },
            destination: { wallet: { id: '${walletID}', balance: 'main' } },
            amount: { asset: 'USD/2', amount: '${amount}' },
          },
        },
      ],
    },
  },
  {
    id: 'payin-to-wallet',
    label: 'Pay-in → wallet',
    description: 'Ingest a payment and credit its amount to a wallet.',
    definition: {
      name: 'payin-to-wallet',
      stages: [{ send: { source: { payment: { id: '${paymentID}' } }, destination: { wallet: { id: '${walletID}', balance: 'main' } } } }],
    },
  },
  {
    id: 'wallet-to-payout',
    label: 'Wallet → payout',
    description: 'Debit a wallet and pay the amount out through a PSP.',
    definition: {
      name: 'wallet-to-payout',
      stages: [
        {
          send: {
            source: { wallet: { id: '${walletID}', balance: 'main' } },
            destination: { payment: { psp: 'stripe', type: 'PAYOUT' } },
            amount: { asset: 'USD/2', amount: '${amount}' },
          },
        },
      ],
    },
  },
  {
    id: 'wait-for-event',
    label: 'Wait for an event',
    description: 'Block until an event is sent to the instance, then continue.',
    definition: { name: 'wait-for-approval', stages: [{ wait_event: { event: 'approved' } }, { noop: {} }] },
  },
  {
    id: 'update-metadata',
    label: 'Update metadata',
    description: 'Add metadata to a ledger account.',
    definition: {
      name: 'update-account-metadata',
      stages: [{ update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { status: '${status}' } } } }],
    },
  },
  {
    id: 'delay',
    label: 'Delay',
    description: 'Wait for a duration before continuing.',
    definition: { name: 'delay', stages: [{ delay: { duration: '30s' } }, { noop: {} }] },
  },
];

export const BLANK_DEFINITION = { name: '', stages: [] as unknown[] };
