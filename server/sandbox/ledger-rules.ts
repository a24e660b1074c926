import { MAX_AMOUNT, MAX_AMOUNT_TEXT } from '../../common/amount.js';
import { SandboxError, invalid } from './errors.js';
import { Balances, compile, execute, programFromPostings, type Posting, type Program } from './numscript.js';
import { isValidAddress, isValidAsset, isValidLedgerName } from './validate.js';
import type { AccountVolumes, CreateTransactionInput, Volume } from './ledger-model.js';

/**
 * The ledger's pure rules for one new transaction, shared by the sandbox ledger (which then
 * stores the result) and the simulation's in-memory overlay (which only keeps it): the same
 * checks, postings, metadata and volumes either way.
 */

/** The name of a ledger created on first write. */
export function checkLedgerName(name: string): void {
  if (!isValidLedgerName(name)) throw invalid(`invalid ledger name '${name}': expected ^[0-9A-Za-z_-]{1,63}$`);
}

/** The ledger v1 get-account lookup's checks. */
export function checkV1Lookup(ledger: string, address: string): void {
  if (!isValidLedgerName(ledger)) throw invalid(`invalid ledger name '${ledger}'`);
  if (!isValidAddress(address)) throw invalid(`invalid account address '${address}'`);
}

/** Validates and compiles the money-moving part of a create-transaction input. */
export function programOf(input: CreateTransactionInput): Program {
  if (input.program) return input.program;
  const hasPostings = (input.postings?.length ?? 0) > 0;
  const hasScript = !!input.script?.plain?.trim();
  if (hasPostings && hasScript) throw invalid('only one of postings or script may be given');
  if (!hasPostings && !hasScript) throw new SandboxError('NO_POSTINGS', 'you need to pass either a posting array or a numscript script');
  if (hasPostings) {
    input.postings!.forEach((p, i) => {
      if (!isValidAddress(p.source)) throw invalid(`postings[${i}].source: invalid address '${p.source}'`);
      if (!isValidAddress(p.destination)) throw invalid(`postings[${i}].destination: invalid address '${p.destination}'`);
      if (!isValidAsset(p.asset)) throw invalid(`postings[${i}].asset: invalid asset '${p.asset}'`);
      if (p.amount < 0n) throw invalid(`postings[${i}].amount: negative amount`);
      if (p.amount > MAX_AMOUNT) throw invalid(`postings[${i}].amount: amount too large: at most ${MAX_AMOUNT_TEXT}`);
    });
    return programFromPostings(input.postings!);
  }
  return compile(input.script!.plain, input.script!.vars ?? {});
}

/** What committing a program changes, computed from the volumes before it. */
export interface CommitPlan {
  postings: Posting[];
  metadata: Record<string, string>;
  /** volumes before/after, for every account and asset the postings touch */
  preCommit: AccountVolumes;
  postCommit: AccountVolumes;
  /** metadata written on accounts with the transaction (script + input) */
  accountMeta: Record<string, Record<string, string>>;
}

/**
 * Runs `program` on the balances `pre` holds (the volumes of every account it may touch) and
 * returns what the transaction is. Throws the ledger's errors: VALIDATION, INSUFFICIENT_FUND,
 * NO_POSTINGS, METADATA_OVERRIDE.
 */
export function planCommit(program: Program, input: CreateTransactionInput, pre: AccountVolumes): CommitPlan {
  for (const address of Object.keys(input.accountMetadata ?? {})) {
    if (!isValidAddress(address)) throw invalid(`accountMetadata: invalid address '${address}'`);
  }
  const balances = new Balances();
  for (const [address, assets] of Object.entries(pre)) {
    for (const [asset, v] of Object.entries(assets)) balances.set(address, asset, v.input - v.output);
  }
  const postings = execute(program, balances, input.force ?? false);
  if (postings.length === 0) throw new SandboxError('NO_POSTINGS', 'transaction has no postings');
  // Scripts too: every amount that moves is within the bound (docs/limits.md).
  const tooLarge = postings.findIndex((p) => p.amount > MAX_AMOUNT);
  if (tooLarge >= 0) throw invalid(`postings[${tooLarge}].amount: amount too large: at most ${MAX_AMOUNT_TEXT}`);

  const metadata = { ...(input.metadata ?? {}) };
  for (const [k, v] of Object.entries(program.txMeta)) {
    if (k in metadata && metadata[k] !== v) throw new SandboxError('METADATA_OVERRIDE', `cannot override metadata '${k}' set by the script`);
    metadata[k] = v;
  }

  const preCommit: AccountVolumes = {};
  const postCommit: AccountVolumes = {};
  const vol = (set: AccountVolumes, a: string, asset: string): Volume => ((set[a] ??= {})[asset] ??= { input: 0n, output: 0n });
  for (const p of postings) {
    for (const a of [p.source, p.destination]) {
      const before = pre[a]?.[p.asset] ?? { input: 0n, output: 0n };
      if (!preCommit[a]?.[p.asset]) {
        vol(preCommit, a, p.asset).input = before.input;
        vol(preCommit, a, p.asset).output = before.output;
        vol(postCommit, a, p.asset).input = before.input;
        vol(postCommit, a, p.asset).output = before.output;
      }
    }
    vol(postCommit, p.source, p.asset).output += p.amount;
    vol(postCommit, p.destination, p.asset).input += p.amount;
  }

  const accountMeta = { ...program.accountMeta };
  for (const [a, m] of Object.entries(input.accountMetadata ?? {})) accountMeta[a] = { ...accountMeta[a], ...m };
  return { postings, metadata, preCommit, postCommit, accountMeta };
}
