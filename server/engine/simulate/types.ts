/** What a dry-run of a workflow found, stage by stage (amounts exact, as bigint). */

/** A wallet balance account of the wallets ledger, as a person knows it. */
export interface WalletRef {
  id: string;
  name?: string;
  balance: string;
}

export interface SimAccountRef {
  ledger: string;
  account: string;
  /** set when the account is a wallet's balance */
  wallet?: WalletRef;
}

export interface SimPosting extends Omit<SimAccountRef, 'account' | 'wallet'> {
  source: string;
  destination: string;
  asset: string;
  amount: bigint;
  sourceWallet?: WalletRef;
  destinationWallet?: WalletRef;
  /** the activity whose call posted it (CreateTransaction, CreditWallet, DebitWallet) */
  activity: string;
  /** the wallet or payment the move goes through */
  via?: { wallet?: string; payment?: string };
  /** simulated transaction number within its ledger (real ids are not predicted) */
  transaction: number;
  metadata: Record<string, string>;
}

export interface SimBalance extends SimAccountRef {
  asset: string;
  before: bigint;
  after: bigint;
}

export interface SimTransfer {
  type: 'TRANSFER' | 'PAYOUT';
  asset: string;
  amount: bigint;
  connectorID: string;
  provider: string | null;
  destinationAccountID: string;
  sourceAccountID: string;
  waitingValidation: boolean;
  metadata: Record<string, string>;
}

export interface SimMetadata {
  ledger: string;
  account: string;
  metadata: Record<string, string>;
}

export interface SimActivity {
  name: string;
  input: unknown;
  output?: unknown;
  error?: string;
}

/** What an INSUFFICIENT_FUND lacked: `missing` = needed − available. */
export interface SimShortfall {
  ledger: string;
  accounts: string[];
  wallet?: WalletRef;
  asset: string;
  needed: bigint;
  available: bigint;
  missing: bigint;
}

export type SimStageStatus = 'succeeded' | 'failed' | 'retrying' | 'waiting';

export interface SimStage {
  number: number;
  kind: string;
  status: SimStageStatus;
  /** the resolved stage (variables substituted, defaults filled), as stage history shows it */
  input?: unknown;
  error?: string;
  activities: SimActivity[];
  postings: SimPosting[];
  transfers: SimTransfer[];
  metadata: SimMetadata[];
  balances: SimBalance[];
  /** `delay`: when the run would go on */
  pause?: { until: Date };
  /** `wait_event`: the event awaited; assumed = the dry-run went on as if it had arrived */
  waitEvent?: { event: string; assumed: boolean };
  /** a retried failure: the run would stay here, retrying with back-off, until it clears */
  retry?: { code: string; message: string; shortfall?: SimShortfall };
}

export interface SimOutcome {
  /** succeeded: every stage ran; the others name the stage where the run would stop or stay */
  status: SimStageStatus;
  stage?: number;
  error?: string;
  shortfall?: SimShortfall;
}

export interface WorkflowSimulation {
  outcome: SimOutcome;
  stages: SimStage[];
  /** per account and asset, over the whole run: balance before the first move, after the last */
  netChanges: SimBalance[];
}
