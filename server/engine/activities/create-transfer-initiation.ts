import { toJsonSafe } from '../../sandbox/json.js';
import { SandboxError } from '../../sandbox/errors.js';
import type { StageContext } from '../types.js';
import { remote, sandboxOf, toActivityError } from './errors.js';

export interface TransferInitiationRequest {
  amount: bigint;
  asset: string;
  /** stage `psp` as written (e.g. `stripe`) */
  psp?: string;
  type: 'TRANSFER' | 'PAYOUT';
  sourceAccount?: string;
  /** PSP destination account id read from metadata */
  destination: string;
  connectorId?: string;
  metadata: Record<string, string>;
  waitingValidation: boolean;
}

/**
 * `CreateTransferInitiation` (payments v1 `POST /transfer-initiations`). The reference is the
 * activity's idempotency key (instance + stage + call): unique per call, stable across retries.
 * Payments has no idempotency key, so a replay after a crash that hits the reference it already
 * created completes with that initiation instead of failing on CONFLICT. No output.
 */
export async function createTransferInitiation(ctx: StageContext, req: TransferInitiationRequest): Promise<void> {
  const provider = req.psp ? req.psp.toUpperCase() : undefined;
  const description = `${req.psp ?? ''} ${req.type}`;
  const input: Record<string, unknown> = { amount: req.amount, asset: req.asset };
  if (provider) input.provider = provider;
  input.type = req.type;
  if (req.sourceAccount) input.source = req.sourceAccount;
  input.destination = req.destination;
  if (req.connectorId) input.connectorID = req.connectorId;
  input.description = description;
  input.metadata = req.metadata;
  input.waitingValidation = req.waitingValidation;

  await ctx.activity('CreateTransferInitiation', toJsonSafe(input), async (reference) => {
    const { payments } = sandboxOf(ctx);
    try {
      await remote(() =>
        payments.createTransferInitiation({
          reference,
          description,
          sourceAccountID: req.sourceAccount ?? '',
          destinationAccountID: req.destination,
          connectorID: req.connectorId,
          provider,
          type: req.type,
          amount: req.amount,
          asset: req.asset,
          validated: !req.waitingValidation,
          metadata: req.metadata,
        }),
      );
    } catch (err) {
      if ((err as { code?: string }).code !== 'CONFLICT') throw err;
      const existing = await payments.findTransferByReference(reference);
      const same = existing && existing.amount === req.amount && existing.asset === req.asset && existing.destinationAccountID === req.destination;
      if (!same) throw toActivityError(remoteConflict(reference));
    }
    return undefined;
  });
}

function remoteConflict(reference: string) {
  return new SandboxError('CONFLICT', `transfer initiation with reference '${reference}' already exists`, 400);
}
