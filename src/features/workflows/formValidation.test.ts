import { describe, expect, it } from 'vitest';
import { emptyStage, type StageForm } from './form';
import { stageIssues, workflowFormSchema } from './formValidation';

const messages = (stage: StageForm) => Object.fromEntries(stageIssues(stage).map((i) => [i.path.join('.'), i.message]));

describe('builder validation', () => {
  it('requires what the server requires, per field', () => {
    expect(messages(emptyStage('send'))).toEqual({
      'send.source.account.id': 'Account address is required',
      'send.destination.account.id': 'Account address is required',
      'send.amount.asset': 'Asset is required, e.g. USD/2',
      'send.amount.amount': 'Amount is required',
    });
    expect(messages(emptyStage('wait_event'))).toEqual({ 'wait_event.event': 'Event name is required' });
    expect(messages(emptyStage('delay'))).toEqual({ 'delay.duration': 'Duration is required' });
    expect(messages(emptyStage('update'))).toEqual({ 'update.account.id': 'Account address is required' });
    expect(messages(emptyStage('noop'))).toEqual({});
  });

  it('checks formats unless a variable fills the field', () => {
    const s = emptyStage('send');
    s.send.source.account.id = 'world';
    s.send.destination.account.id = 'users:1';
    s.send.amount = { asset: 'usd', amount: '12.50' };
    s.send.timestamp = 'yesterday';
    expect(messages(s)).toEqual({
      'send.amount.asset': 'Assets look like USD/2, EUR/2 or JPY',
      'send.amount.amount': 'Integer in minor units (1250 = 12.50 for USD/2)',
      'send.timestamp': 'Expected an RFC 3339 date, e.g. 2024-07-01T00:00:00Z',
    });
    s.send.amount = { asset: '${asset}', amount: '${amount}' };
    s.send.timestamp = '${at}';
    expect(messages(s)).toEqual({});
    const d = emptyStage('delay');
    d.delay.duration = '2d';
    expect(messages(d)).toEqual({ 'delay.duration': 'Go duration: 300ms, 90s, 1h30m (no days)' });
  });

  it('refuses amounts past the service’s bound', () => {
    const s = emptyStage('send');
    s.send.source.account.id = 'world';
    s.send.destination.account.id = 'users:1';
    s.send.amount = { asset: 'USD/2', amount: '1'.repeat(5000) };
    expect(messages(s)).toEqual({ 'send.amount.amount': 'Too large: at most 2^256 − 1 (78 digits)' });
    s.send.amount.amount = String(2n ** 256n - 1n);
    expect(messages(s)).toEqual({});
  });

  it('refuses delays the server refuses: beyond Go’s limit, or negative', () => {
    const d = emptyStage('delay');
    d.delay.duration = '9999999999999999999h';
    expect(messages(d)).toEqual({ 'delay.duration': 'Longer than Go allows: at most 2562047h47m16.854775807s (about 292 years)' });
    d.delay.duration = '-5s';
    expect(messages(d)).toEqual({ 'delay.duration': 'A delay cannot be negative' });
    d.delay.duration = '2562047h47m16.854775807s';
    expect(messages(d)).toEqual({});
  });

  it('knows payment sources: no amount needed, never to a payment', () => {
    const s = emptyStage('send');
    s.send.source.kind = 'payment';
    s.send.source.payment.id = 'p1';
    s.send.destination.kind = 'payment';
    expect(messages(s)).toEqual({ 'send.destination.kind': 'Send from payment to payment is not supported' });
    s.send.destination.kind = 'wallet';
    s.send.destination.wallet.by = 'name';
    expect(messages(s)).toEqual({ 'send.destination.wallet.ref': 'Wallet name is required' });
  });

  it('flags duplicate and missing metadata keys', () => {
    const u = emptyStage('update');
    u.update.account.id = 'a';
    u.update.account.metadata = [
      { key: 'a', value: '1' },
      { key: 'a', value: '2' },
      { key: '', value: '3' },
    ];
    expect(messages(u)).toEqual({ 'update.account.metadata.1.key': 'Duplicate key “a”', 'update.account.metadata.2.key': 'Key is required' });
  });

  it('reports issues at their react-hook-form paths', () => {
    const r = workflowFormSchema.safeParse({ name: 'x', stages: [emptyStage('noop'), emptyStage('wait_event')] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['stages.1.wait_event.event']);
    const raw = emptyStage('raw');
    raw.raw = '{ nope';
    expect(workflowFormSchema.safeParse({ name: '', stages: [raw] }).error?.issues[0]?.path).toEqual(['stages', 0, 'raw']);
  });
});
