import { describe, expect, it } from 'vitest';
import { describeStage, stageFacts } from './stageFacts';
import { TEMPLATES } from './templates';

describe('stage facts', () => {
  it('shows money with the asset precision, endpoints with defaults', () => {
    const stage = { send: { source: { account: { id: 'world' } }, destination: { wallet: { name: 'savings' } }, amount: { asset: 'USD/2', amount: 1250 } } };
    expect(stageFacts(stage)).toEqual({
      kind: 'send',
      source: { kind: 'account', label: 'world', detail: 'ledger default' },
      destination: { kind: 'wallet', label: '“savings”', detail: 'balance main' },
      amount: { amount: '1250', asset: 'USD/2' },
      metadataKeys: [],
    });
    expect(describeStage(stage)).toBe('Send 12.50 USD from account world (ledger default) to wallet “savings” (balance main)');
  });

  it('describes every template', () => {
    expect(TEMPLATES.map((t) => t.definition.stages.map(describeStage))).toEqual([
      ['Send ${amount} USD/2 from account world (ledger default) to wallet ${walletID} (balance main)'],
      ["Send the payment's amount from payment ${paymentID} (ingested on orchestration-000-internal) to wallet ${walletID} (balance main)"],
      ['Send ${amount} USD/2 from wallet ${walletID} (balance main) to external payment via stripe (PAYOUT)'],
      ['Wait for the event “approved”', 'Do nothing'],
      ['Add metadata status to account users:${userID} on ledger main'],
      ['Wait 30s', 'Do nothing'],
    ]);
  });

  it('never throws on odd stages', () => {
    expect(describeStage({ transfer: {} })).toBe('Unknown stage transfer');
    expect(describeStage('x')).toBe('Unknown stage "x"');
    expect(describeStage({ send: {} })).toBe("Send the payment's amount from nothing to nothing");
    expect(describeStage({ delay: { until: '2030-01-01T00:00:00Z' } })).toBe('Wait until 2030-01-01T00:00:00Z');
  });
});
