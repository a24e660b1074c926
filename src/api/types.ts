/** Friendly names for the contract types used across the console (generated, never hand-written). */
import type { components as Flows } from './generated/flows';
import type { components as Sandbox } from './generated/sandbox';
import type { components as ConsoleApi } from './generated/console';

type F = Flows['schemas'];
type S = Sandbox['schemas'];
type C = ConsoleApi['schemas'];

export type Workflow = F['Workflow'];
export type WorkflowConfig = F['WorkflowConfig'];
export type Stage = F['Stage'];
export type WorkflowInstance = F['WorkflowInstance'];
export type StageStatus = F['StageStatus'];
export type WorkflowInstanceHistory = F['WorkflowInstanceHistory'];
export type V2WorkflowInstanceHistoryStage = F['V2WorkflowInstanceHistoryStage'];
export type Trigger = F['Trigger'];
export type TriggerData = F['TriggerData'];
export type TriggerOccurrence = F['TriggerOccurrence'];
export type V2TriggerTest = F['V2TriggerTest'];
export type ServerInfo = F['ServerInfo'];

export type Ledger = S['Ledger'];
export type LedgerAccount = S['LedgerAccount'];
export type LedgerTransaction = S['LedgerTransaction'];
export type PostTransaction = S['PostTransaction'];
export type Wallet = S['Wallet'];
export type WalletWithBalances = S['WalletWithBalances'];
export type WalletBalance = S['Balance'];
export type WalletTransaction = S['WalletTransaction'];
export type Connector = S['Connector'];
export type Payment = S['Payment'];
export type TransferInitiation = S['TransferInitiation'];
export type ConsoleInfo = S['ConsoleInfo'];
export type ConsoleEvent = S['ConsoleEvent'];
export type PublishEventRequest = S['PublishEventRequest'];
export type TriggerPreviewRequest = S['TriggerPreviewRequest'];
export type TriggerPreview = S['TriggerPreview'];
export type TriggerCompileError = S['TriggerCompileError'];
export type Monetary = S['Monetary'];
export type Subject = S['Subject'];

/** A v2 cursor page. */
export interface Page<T> {
  pageSize: number;
  hasMore: boolean;
  previous?: string;
  next?: string;
  data: T[];
}

/** Paging state as it lives in search params. */
export interface PageParams {
  cursor?: string;
  pageSize?: number;
}
export type OverviewNow = S['OverviewNow'];
export type OverviewRuns = S['OverviewRuns'];
export type OverviewRunBucket = S['OverviewRunBucket'];
export type OverviewFailures = S['OverviewFailures'];
export type OverviewAttention = S['OverviewAttention'];
export type OverviewMoney = S['OverviewMoney'];
export type OverviewMoneySource = S['OverviewMoneySource'];
export type OverviewRetry = S['OverviewRetry'];
export type OverviewBasis = S['OverviewBasis'];
export type AuditEntry = C['AuditEntry'];
export type ConsoleMe = C['ConsoleMe'];
export type ConsoleSettings = C['ConsoleSettings'];
export type ConsoleSettingsPatch = C['ConsoleSettingsPatch'];
