import { describe, expect, it } from 'vitest';
import { completionPath, fieldsAt, summarizePayload } from './samples';

const committed = {
  ledger: 'main',
  transactions: [{ id: 9, postings: [{ source: 'world', destination: 'users:1', amount: 250000, asset: 'USD/2' }], metadata: { orderID: '42' } }],
  accountMetadata: {},
};

describe('sample events', () => {
  it('summarizes the common event types', () => {
    expect(summarizePayload('COMMITTED_TRANSACTIONS', committed)).toBe('main · #9 · world → users:1 2,500.00 USD');
    expect(summarizePayload('SAVED_PAYMENT', { type: 'PAY-IN', status: 'SUCCEEDED', amount: '1999', asset: 'EUR/2', reference: 'pi_1' })).toBe(
      'PAY-IN · SUCCEEDED · 19.99 EUR · pi_1',
    );
    expect(summarizePayload('SAVED_METADATA', { ledger: 'main', targetType: 'ACCOUNT', targetId: 'users:1', metadata: { kyc: '2' } })).toBe(
      'main · account users:1 · kyc',
    );
    expect(summarizePayload('CUSTOM', { x: 1 })).toBe('{"x":1}');
    expect(summarizePayload('FAILED_WORKFLOW_STAGE', { id: 'wf-12345678-x', instanceID: 'i1', number: 2, error: 'insufficient funds' })).toBe(
      'workflow wf-12345 · stage 3 · insufficient funds',
    );
    expect(summarizePayload('SUCCEEDED_TRIGGER', { id: 'occ-1234567', triggerID: 't1', workflowInstanceID: 'i1' })).toBe('occurrence occ-1234');
    expect(summarizePayload('COMMITTED_TRANSACTIONS', {})).toBe('');
  });

  it('lists the fields under a path for completion', () => {
    expect(fieldsAt(committed, '')).toEqual(['ledger', 'transactions', 'accountMetadata']);
    expect(fieldsAt(committed, '.transactions[0]')).toEqual(['id', 'postings', 'metadata']);
    expect(fieldsAt(committed, '.transactions[0].postings[0]')).toEqual(['source', 'destination', 'amount', 'asset']);
    expect(fieldsAt(committed, '?.transactions?.[0]?.metadata')).toEqual(['orderID']);
    expect(fieldsAt(committed, '.transactions')).toEqual([]);
    expect(fieldsAt(committed, '.nope.deeper')).toEqual([]);
  });

  it('finds the event path before the cursor', () => {
    expect(completionPath('event.')).toBe('');
    expect(completionPath('len(event.transactions[0].')).toBe('.transactions[0]');
    expect(completionPath('event.metadata?.')).toBe('.metadata');
    expect(completionPath('x == event.a.b.')).toBe('.a.b');
    expect(completionPath('myevent.')).toBeNull();
    expect(completionPath('event.a')).toBeNull();
  });
});
