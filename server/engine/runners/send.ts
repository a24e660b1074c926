import { createTransaction, type ConflictOptions } from '../activities/create-transaction.js';
import { sandboxOf } from '../activities/errors.js';
import { createTransferInitiation } from '../activities/create-transfer-initiation.js';
import { creditWallet } from '../activities/credit-wallet.js';
import { debitWallet } from '../activities/debit-wallet.js';
import { getAccount } from '../activities/get-account.js';
import { getPayment } from '../activities/get-payment.js';
import { getWallet, type WalletData } from '../activities/get-wallet.js';
import { listWallets } from '../activities/list-wallets.js';
import { ActivityError, StageError, type StageContext } from '../types.js';

/** The resolved `send` config (server/stages: variables substituted, defaults filled). */
interface AccountEndpoint {
  id: string;
  ledger: string;
  throughAccount: string;
  allowOverdraft: boolean;
}
interface WalletEndpoint {
  /** '' when referenced by name */
  id: string;
  name?: string;
  balance: string;
}
interface PaymentSource {
  id: string;
  ledger: string;
  holdingAccount: string;
  throughAccount: string;
  allowOverdraft: boolean;
}
interface PaymentDestination {
  psp?: string;
  type: 'TRANSFER' | 'PAYOUT';
  sourceAccount?: string;
  metadata: string;
  waitingValidation: boolean;
  connectorId?: string;
}
export interface SendInput {
  source: { account?: AccountEndpoint; wallet?: WalletEndpoint; payment?: PaymentSource };
  destination: { account?: AccountEndpoint; wallet?: WalletEndpoint; payment?: PaymentDestination };
  amount?: { asset: string; amount?: bigint };
  metadata?: Record<string, string>;
  timestamp?: Date;
}

interface Money {
  asset: string;
  amount: bigint;
}

const WORLD = 'world';
const MOVE_TO = 'orchestration/move-to-ledger';
const MOVE_FROM = 'orchestration/move-from-ledger';
const moveTo = (m: Record<string, string>, ledger: string) => ({ ...m, [MOVE_TO]: ledger });
const moveFrom = (m: Record<string, string>, ledger: string) => ({ ...m, [MOVE_FROM]: ledger });

/**
 * `send`: every source × destination combination upstream accepts (docs/compatibility.md: send), with upstream's
 * activities, intermediate accounts, move-to/move-from metadata and overdraft programs.
 *
 * Deliberate deviations (docs/compatibility.md: wallet-to-wallet on one ledger): same-ledger wallet→wallet honours the source `balance`
 * (#29); the payment ingestion's reference is `payment:<id>` whatever the holding account, so a
 * holding account shared by several payments still ingests each of them (#33).
 */
export async function runSendStage(ctx: StageContext<SendInput>): Promise<void> {
  const { source, destination } = ctx.input;
  const M = ctx.input.metadata ?? {};
  const ts = ctx.input.timestamp;
  const stageAmount = ctx.input.amount && ctx.input.amount.amount !== undefined ? { asset: ctx.input.amount.asset, amount: ctx.input.amount.amount } : undefined;

  if (source.payment) {
    if (destination.payment) throw new StageError('send from payment to payment is not supported');
    const pay = source.payment;
    const payment = await getPayment(ctx, { id: pay.id });
    const P: Money = { asset: payment.asset, amount: payment.initialAmount };
    const A = stageAmount ?? P;
    await ingest(ctx, pay, P, A, M, ts);
    if (destination.account) {
      // row 11: rows 1/2 from the holding account
      await accountToAccount(ctx, { id: pay.holdingAccount, ledger: pay.ledger, throughAccount: WORLD, allowOverdraft: false }, destination.account, A, M, ts);
      return;
    }
    // row 12
    const dst = destination.wallet!;
    const wallet = await resolveWallet(ctx, dst);
    if (wallet.ledger === pay.ledger) {
      await creditWallet(ctx, {
        id: wallet.id,
        amount: A,
        balance: dst.balance,
        sources: [{ type: 'ACCOUNT', identifier: pay.holdingAccount }],
        metadata: M,
        timestamp: ts,
      });
      return;
    }
    await transfer(ctx, pay.ledger, pay.holdingAccount, WORLD, A, moveTo(M, wallet.ledger), { timestamp: ts });
    await creditWallet(ctx, {
      id: wallet.id,
      amount: A,
      balance: dst.balance,
      sources: [{ type: 'ACCOUNT', identifier: WORLD }],
      metadata: moveFrom(M, pay.ledger),
      timestamp: ts,
    });
    return;
  }

  if (!stageAmount) throw new StageError('amount must be specified');
  const A = stageAmount;

  if (source.account) {
    const src = source.account;
    if (destination.account) return accountToAccount(ctx, src, destination.account, A, M, ts); // rows 1, 2
    if (destination.wallet) {
      const dst = destination.wallet;
      const wallet = await resolveWallet(ctx, dst);
      if (wallet.ledger === src.ledger) {
        // row 3
        await creditWallet(ctx, { id: wallet.id, amount: A, balance: dst.balance, sources: [{ type: 'ACCOUNT', identifier: src.id }], metadata: M, timestamp: ts });
        return;
      }
      // row 4
      await transfer(ctx, src.ledger, src.id, src.throughAccount, A, moveTo(M, wallet.ledger), { overdraft: src.allowOverdraft, timestamp: ts });
      await creditWallet(ctx, {
        id: wallet.id,
        amount: A,
        balance: dst.balance,
        sources: [{ type: 'ACCOUNT', identifier: src.throughAccount }],
        metadata: moveFrom(M, src.ledger),
        timestamp: ts,
      });
      return;
    }
    // row 5
    const dst = destination.payment!;
    const account = await prefixed(`reading account: ${src.id}: `, () => getAccount(ctx, { ledger: src.ledger, id: src.id }));
    const pspAccount = pspAccountFrom(account.data.metadata, dst.metadata);
    await transfer(ctx, src.ledger, src.id, src.throughAccount, A, M, { overdraft: src.allowOverdraft, timestamp: ts });
    await initiate(ctx, dst, A, pspAccount, M);
    return;
  }

  const src = source.wallet!;
  if (destination.account) {
    const dst = destination.account;
    const wallet = await resolveWallet(ctx, src);
    if (wallet.ledger === dst.ledger) {
      // row 6
      await debitWallet(ctx, { id: wallet.id, amount: A, balances: [src.balance], destination: { type: 'ACCOUNT', identifier: dst.id }, metadata: M, timestamp: ts });
      return;
    }
    // row 7
    await debitWallet(ctx, { id: wallet.id, amount: A, balances: [src.balance], metadata: moveTo(M, dst.ledger), timestamp: ts });
    await transfer(ctx, dst.ledger, dst.throughAccount, dst.id, A, moveFrom(M, wallet.ledger), {
      overdraft: dst.allowOverdraft && dst.throughAccount !== WORLD,
      timestamp: ts,
    });
    return;
  }
  if (destination.wallet) {
    const dst = destination.wallet;
    const from = await resolveWallet(ctx, src);
    const to = await resolveWallet(ctx, dst);
    if (from.ledger === to.ledger) {
      // row 8 (source balance honoured: deviation #29)
      await creditWallet(ctx, {
        id: to.id,
        amount: A,
        balance: dst.balance,
        sources: [{ type: 'WALLET', identifier: from.id, balance: src.balance }],
        metadata: M,
        timestamp: ts,
      });
      return;
    }
    // row 9
    await debitWallet(ctx, { id: from.id, amount: A, balances: [src.balance], metadata: moveTo(M, to.ledger), timestamp: ts });
    await creditWallet(ctx, { id: to.id, amount: A, balance: dst.balance, sources: [], metadata: moveFrom(M, from.ledger), timestamp: ts });
    return;
  }
  // row 10: lookup failures read `reading account: <configured wallet id>: <message>`
  const dst = destination.payment!;
  const wallet = await prefixed(`reading account: ${src.id}: `, () => resolveWallet(ctx, src));
  const pspAccount = pspAccountFrom(wallet.metadata, dst.metadata);
  await debitWallet(ctx, { id: wallet.id, amount: A, balances: [src.balance], metadata: M, timestamp: ts });
  await initiate(ctx, dst, A, pspAccount, M);
}

/** Final failures of a lookup carry upstream's prefix; retries (suspensions) pass through untouched. */
async function prefixed<T>(prefix: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof StageError || (err instanceof ActivityError && !err.retryable)) throw new StageError(prefix + err.message);
    throw err;
  }
}

/** Rows 1 and 2 (and the moves out of a payment's holding account, row 11). */
async function accountToAccount(ctx: StageContext, src: AccountEndpoint, dst: AccountEndpoint, A: Money, M: Record<string, string>, ts?: Date): Promise<void> {
  if (src.ledger === dst.ledger) {
    await transfer(ctx, src.ledger, src.id, dst.id, A, M, { timestamp: ts });
    return;
  }
  await transfer(ctx, src.ledger, src.id, src.throughAccount, A, moveTo(M, dst.ledger), { overdraft: src.allowOverdraft, timestamp: ts });
  await transfer(ctx, dst.ledger, dst.throughAccount, dst.id, A, moveFrom(M, src.ledger), {
    overdraft: dst.allowOverdraft && dst.throughAccount !== WORLD,
    timestamp: ts,
  });
}

/**
 * Payment ingestion: payThrough → holding account for the payment's full amount; CONFLICT =
 * already ingested. Then, unlike upstream (which moves on and retries the move out of the holding
 * account forever), a pay-in whose money an earlier run already moved on fails the stage at once,
 * saying so: the holding account must still hold the amount `A` this stage moves
 * (docs/limits.md). A payment ingested but never moved on (the earlier run failed later) still
 * goes through.
 */
async function ingest(ctx: StageContext, pay: PaymentSource, P: Money, A: Money, M: Record<string, string>, ts?: Date): Promise<void> {
  await transfer(ctx, pay.ledger, pay.throughAccount, pay.holdingAccount, P, M, {
    overdraft: pay.allowOverdraft && pay.throughAccount !== WORLD,
    reference: `payment:${pay.id.replaceAll('-', '_')}`,
    ignoreConflict: true,
    onAlreadyDone: async (existing) => {
      const volume = (await sandboxOf(ctx).ledger.getAccountV1(pay.ledger, pay.holdingAccount)).volumes[A.asset];
      const held = volume ? volume.input - volume.output : 0n;
      if (held >= A.amount) return;
      throw new ActivityError(
        `payment ${pay.id} was already used: it was ingested by transaction #${existing.id} on ledger ${pay.ledger}, and its holding account ${pay.holdingAccount} ` +
          `now holds ${held} ${A.asset}, less than the ${A.amount} ${A.asset} to move (an earlier run moved it on)`,
        false,
        'VALIDATION',
      );
    },
    timestamp: ts,
  });
}

/** One `CreateTransaction` with one posting, or the overdraft program when it applies. */
async function transfer(
  ctx: StageContext,
  ledger: string,
  from: string,
  to: string,
  money: Money,
  metadata: Record<string, string>,
  opts: { overdraft?: boolean; reference?: string; timestamp?: Date } & ConflictOptions = {},
): Promise<void> {
  const common = { ledger, metadata, reference: opts.reference, timestamp: opts.timestamp };
  const conflicts = { ignoreConflict: opts.ignoreConflict, onAlreadyDone: opts.onAlreadyDone };
  if (opts.overdraft) {
    const plain = `send [${money.asset} ${money.amount}] (\n  source = @${from} allowing unbounded overdraft\n  destination = @${to}\n)`;
    await createTransaction(ctx, { ...common, script: { plain } }, conflicts);
  } else {
    await createTransaction(ctx, { ...common, postings: [{ source: from, destination: to, amount: money.amount, asset: money.asset }] }, conflicts);
  }
}

/** `GetWallet` by id, or `ListWallets` by exact name (first page): 0 → not found, > 1 → ambiguous. */
async function resolveWallet(ctx: StageContext, w: WalletEndpoint): Promise<WalletData> {
  if (w.id) return (await getWallet(ctx, { id: w.id })).data;
  const page = await listWallets(ctx, { name: w.name ?? '' });
  if (page.cursor.data.length === 0) throw new StageError('wallet not found');
  if (page.cursor.data.length > 1) throw new StageError('found multiple wallets with the same name');
  return page.cursor.data[0];
}

/** The PSP destination account id from ledger account / wallet metadata (docs/compatibility.md: send). */
function pspAccountFrom(metadata: Record<string, unknown>, key: string): string {
  if (!(key in metadata)) throw new StageError(`expected '${key}' metadata containing formance account ID`);
  const v = metadata[key];
  if (v === '' || v === 0 || v === false || v === null || v === undefined) throw new StageError('formance account ID empty');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

async function initiate(ctx: StageContext, dst: PaymentDestination, A: Money, pspAccount: string, M: Record<string, string>): Promise<void> {
  await createTransferInitiation(ctx, {
    amount: A.amount,
    asset: A.asset,
    psp: dst.psp,
    type: dst.type,
    sourceAccount: dst.sourceAccount,
    destination: pspAccount,
    connectorId: dst.connectorId,
    metadata: M,
    waitingValidation: dst.waitingValidation,
  });
}
