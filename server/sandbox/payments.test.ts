import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../store/db.js';
import { SandboxError } from './errors.js';
import type { Sandbox } from './sandbox.js';
import { eventsOf, openTestSandbox } from './test-helpers.js';

let db: Db;
let sb: Sandbox;

beforeAll(async () => {
  const t = await openTestSandbox();
  db = t.db;
  sb = t.sandbox;
});
afterAll(() => db.close());

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SandboxError) return err.code;
    throw err;
  }
  return 'OK';
}

describe('payments', () => {
  it('connectors, pay-ins and the SAVED_PAYMENT event (v3 values, string amounts)', async () => {
    const stripe = await sb.payments.createConnector({ provider: 'stripe' });
    expect(stripe.provider).toBe('STRIPE');
    expect(JSON.parse(Buffer.from(stripe.id, 'base64url').toString())).toMatchObject({ Provider: 'stripe' });
    const p = await sb.payments.createPayment({ connectorID: stripe.id, reference: 'pi_1', asset: 'EUR/2', amount: 2000n, metadata: { walletID: 'w' } });
    expect(p).toMatchObject({ type: 'PAY-IN', status: 'SUCCEEDED', scheme: 'visa', initialAmount: 2000n, sourceAccountID: '', destinationAccountID: '' });
    expect((await sb.payments.getPayment(p.id)).amount).toBe(2000n);
    const [ev] = await eventsOf(db, 'SAVED_PAYMENT');
    expect(ev.app).toBe('payments');
    expect(ev.version).toBe('v3');
    expect(ev.idempotency_key).not.toBe('');
    expect(ev.payload).toMatchObject({
      id: p.id,
      provider: 'stripe',
      scheme: 'CARD_VISA',
      amount: '2000',
      initialAmount: '2000',
      type: 'PAY-IN',
      status: 'SUCCEEDED',
      metadata: { walletID: 'w' },
    });
    expect(await code(sb.payments.getPayment('not base64 json!'))).toBe('INVALID_ID');
    expect(await code(sb.payments.getPayment(Buffer.from('{"x":1}').toString('base64url')))).toBe('NOT_FOUND');
    expect((await sb.payments.listPayments({ pageSize: 10, offset: 0 })).data.map((x) => x.id)).toEqual([p.id]);
  });

  it('transfer initiations: validated → PROCESSED with a payout payment; waiting → validate later; duplicates refused', async () => {
    const wise = await sb.payments.createConnector({ provider: 'wise' });
    const ti = await sb.payments.createTransferInitiation({
      reference: 'ti-1',
      destinationAccountID: 'acct_1',
      provider: 'WISE',
      type: 'PAYOUT',
      amount: 500n,
      asset: 'USD/2',
      validated: true,
      description: 'wise PAYOUT',
    });
    expect(ti).toMatchObject({ status: 'PROCESSED', connectorID: wise.id, provider: 'WISE', error: null });
    expect(ti.relatedPayments).toHaveLength(1);
    const payout = await sb.payments.getPayment(ti.relatedPayments[0].paymentID);
    expect(payout).toMatchObject({ type: 'PAYOUT', status: 'SUCCEEDED', amount: 500n, destinationAccountID: 'acct_1' });
    expect(
      await code(
        sb.payments.createTransferInitiation({
          reference: 'ti-1',
          destinationAccountID: 'a',
          connectorID: wise.id,
          type: 'PAYOUT',
          amount: 1n,
          asset: 'USD/2',
          validated: true,
        }),
      ),
    ).toBe('CONFLICT');

    const waiting = await sb.payments.createTransferInitiation({
      reference: 'ti-2',
      destinationAccountID: 'a',
      connectorID: wise.id,
      type: 'TRANSFER',
      amount: 7n,
      asset: 'USD/2',
      validated: false,
    });
    expect(waiting.status).toBe('WAITING_FOR_VALIDATION');
    await sb.payments.updateTransferInitiationStatus(waiting.id, 'VALIDATED');
    expect((await sb.payments.getTransferInitiation(waiting.id)).status).toBe('PROCESSED');

    const failing = await sb.payments.createTransferInitiation({
      reference: 'ti-3',
      destinationAccountID: 'a',
      connectorID: wise.id,
      type: 'PAYOUT',
      amount: 7n,
      asset: 'USD/2',
      validated: true,
      metadata: { 'sandbox/fail': 'account closed' },
    });
    expect(failing).toMatchObject({ status: 'FAILED', error: 'account closed' });

    const types = (await db.query(`select type from events where app = 'payments' order by seq`)).map((r) => r.type);
    expect(types).toContain('SAVED_PAYMENT_INITIATION');
    expect(types).toContain('SAVED_PAYMENT_INITIATION_ADJUSTMENT');
    expect(types).toContain('SAVED_PAYMENT_INITIATION_RELATED_PAYMENT');
  });

  it('connector resolution: unknown provider or several connectors is VALIDATION, nothing stored', async () => {
    const req = { reference: 'r-x', destinationAccountID: 'a', type: 'PAYOUT' as const, amount: 1n, asset: 'USD/2', validated: true };
    expect(await code(sb.payments.createTransferInitiation({ ...req, provider: 'MODULR' }))).toBe('VALIDATION');
    await sb.payments.createConnector({ provider: 'modulr', name: 'm1' });
    await sb.payments.createConnector({ provider: 'modulr', name: 'm2' });
    expect(await code(sb.payments.createTransferInitiation({ ...req, provider: 'MODULR' }))).toBe('VALIDATION');
    expect(await code(sb.payments.createTransferInitiation({ ...req, provider: 'WISE', asset: 'usd' }))).toBe('VALIDATION');
    expect(await sb.payments.findTransferByReference('r-x')).toBeNull();
  });
});
