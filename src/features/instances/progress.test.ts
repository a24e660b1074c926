import { describe, expect, it } from 'vitest';
import { delayEnd, interpolate, preciseStatus, stageState, type InstanceProgressInput } from '../../../common/status';
import { preciseLabel, preciseText, type ActivityLike } from './progress';

const T0 = '2024-07-01T10:00:00.000Z';
const T1 = '2024-07-01T10:00:01.000Z';
const T2 = '2024-07-01T10:00:02.000Z';

function instance(stages: unknown[], status: InstanceProgressInput['status'], extra: Partial<InstanceProgressInput> = {}): InstanceProgressInput {
  return { terminated: false, createdAt: T0, status, workflow: { config: { stages } }, ...extra };
}

const send = { send: { source: { account: { id: 'users:1' } }, destination: { account: { id: 'users:2' } }, amount: { asset: 'USD/2', amount: 100 } } };

describe('delayEnd', () => {
  it('computes when a delay ends', () => {
    expect(delayEnd(T0, { duration: '2s' })).toBe(T2);
    expect(delayEnd(T0, { until: '2024-07-01T12:00:00+02:00' })).toBe('2024-07-01T10:00:00.000Z');
    expect(delayEnd(T0, { duration: '${d}' }, { d: '1s' })).toBe(T1);
    expect(delayEnd(T0, { duration: 'soon' })).toBeUndefined();
    expect(interpolate('users:${id}:${nope}', { id: '7' })).toBe('users:7:');
  });

  it('has no end, rather than throwing, for a delay no date can hold (rows stored before it was refused)', () => {
    expect(delayEnd(T0, { duration: '10000000000000000000h0m0s' })).toBeUndefined();
    expect(delayEnd(T0, { duration: '${d}' }, { d: '9999999999999999999h' })).toBeUndefined();
    expect(delayEnd(T0, { until: '275761-01-01T00:00:00Z' })).toBeUndefined();
    expect(delayEnd('not a date', { duration: '1s' })).toBeUndefined();
    // The longest delay Go allows still has a date.
    expect(delayEnd(T0, { duration: '2562047h47m16.854775807s' })).toMatch(/^2316-/);
  });
});

describe('stageState', () => {
  it('derives each stage state', () => {
    expect(stageState({ stage: 0, startedAt: T0 })).toBe('running');
    expect(stageState({ stage: 0, startedAt: T0, terminatedAt: T1 })).toBe('succeeded');
    expect(stageState({ stage: 0, startedAt: T0, terminatedAt: T1, error: 'boom' })).toBe('failed');
    expect(stageState({ stage: 0, startedAt: T0, terminatedAt: T1, error: 'canceled' })).toBe('aborted');
  });
});

describe('preciseStatus', () => {
  it('starting: running without a started stage', () => {
    const s = preciseStatus(instance([send], undefined));
    expect(s).toEqual({ state: 'running', phase: 'starting' });
    expect(preciseLabel(s)).toBe('Starting');
  });

  it('running a stage, naming the activity in flight', () => {
    const inst = instance(
      [{ noop: {} }, send],
      [
        { stage: 0, startedAt: T0, terminatedAt: T1 },
        { stage: 1, startedAt: T1 },
      ],
    );
    expect(preciseStatus(inst)).toEqual({ state: 'running', phase: 'stage', stage: 1, kind: 'send', activity: undefined });
    const inFlight: ActivityLike[] = [{ name: 'CreateTransaction', input: {}, terminated: false, startedAt: T1, attempt: 1 }];
    const s = preciseStatus(inst, undefined, inFlight);
    expect(s).toEqual({ state: 'running', phase: 'stage', stage: 1, kind: 'send', activity: 'CreateTransaction' });
    expect(preciseText(s)).toBe('Running stage 2 (send): CreateTransaction');
  });

  it('waiting for an event: the resolved name from history, else the definition with variables', () => {
    const inst = instance([{ wait_event: { event: 'payment.${kind}' } }], [{ stage: 0, startedAt: T0 }], { variables: { kind: 'confirmed' } });
    expect(preciseStatus(inst)).toEqual({ state: 'running', phase: 'waiting', stage: 0, event: 'payment.confirmed' });
    const history = [{ name: 'RunWaitEvent', input: { event: 'payment.settled' }, terminated: false, startedAt: T0 }];
    const s = preciseStatus(inst, history);
    expect(s).toEqual({ state: 'running', phase: 'waiting', stage: 0, event: 'payment.settled' });
    expect(preciseLabel(s)).toBe('Waiting');
    expect(preciseText(s)).toBe('Waiting for event `payment.settled` (stage 1)');
  });

  it('delayed until start + duration, or until the given date', () => {
    const inst = instance(
      [{ noop: {} }, { delay: { duration: '1m' } }],
      [
        { stage: 0, startedAt: T0, terminatedAt: T1 },
        { stage: 1, startedAt: T1 },
      ],
    );
    expect(preciseStatus(inst)).toEqual({ state: 'running', phase: 'delayed', stage: 1, until: '2024-07-01T10:01:01.000Z' });
    const history = [
      { name: 'RunNoop', input: {}, terminated: true, startedAt: T0, terminatedAt: T1 },
      { name: 'RunDelay', input: { until: '2024-07-02T00:00:00Z' }, terminated: false, startedAt: T1 },
    ];
    const s = preciseStatus(inst, history);
    expect(s).toEqual({ state: 'running', phase: 'delayed', stage: 1, until: '2024-07-02T00:00:00.000Z' });
    expect(preciseText(s, (iso) => `<${iso}>`)).toBe('Delayed until <2024-07-02T00:00:00.000Z> (stage 2)');
  });

  it('retrying: attempt, last failure and next execution of the last activity', () => {
    const inst = instance([send], [{ stage: 0, startedAt: T0 }]);
    const activities: ActivityLike[] = [
      { name: 'GetWallet', input: {}, terminated: true, startedAt: T0, terminatedAt: T0, attempt: 1 },
      {
        name: 'CreateTransaction',
        input: {},
        terminated: false,
        startedAt: T1,
        attempt: 4,
        lastFailure: 'account(s) @users:1 had/have insufficient funds',
        nextExecution: T2,
      },
    ];
    const s = preciseStatus(inst, undefined, activities);
    expect(s).toEqual({
      state: 'running',
      phase: 'retrying',
      stage: 0,
      activity: 'CreateTransaction',
      attempt: 4,
      lastFailure: 'account(s) @users:1 had/have insufficient funds',
      nextExecution: T2,
    });
    expect(preciseLabel(s)).toBe('Retrying');
    expect(preciseText(s, () => 'in 1 s')).toBe(
      'Retrying CreateTransaction (stage 1), attempt 4, next try in 1 s — last failure: account(s) @users:1 had/have insufficient funds',
    );
  });

  it('succeeded, failed (with the failing stage and error) and aborted', () => {
    const done = { terminated: true, terminatedAt: T2 };
    expect(preciseStatus(instance([{ noop: {} }], [{ stage: 0, startedAt: T0, terminatedAt: T1 }], done))).toEqual({ state: 'succeeded', at: T2 });
    const failed = preciseStatus(
      instance(
        [{ noop: {} }, send],
        [
          { stage: 0, startedAt: T0, terminatedAt: T1 },
          { stage: 1, startedAt: T1, terminatedAt: T2, error: 'amount must be specified' },
        ],
        {
          ...done,
          error: 'amount must be specified',
        },
      ),
    );
    expect(failed).toEqual({ state: 'failed', error: 'amount must be specified', stage: 1, at: T2 });
    expect(preciseText(failed)).toBe('Failed at stage 2: amount must be specified');
    const aborted = preciseStatus(
      instance([{ wait_event: { event: 'x' } }], [{ stage: 0, startedAt: T0, terminatedAt: T1, error: 'canceled' }], { ...done, error: 'canceled' }),
    );
    expect(aborted).toEqual({ state: 'aborted', stage: 0, at: T2 });
    expect(preciseText(aborted)).toBe('Aborted during stage 1');
    // A list item has no stage statuses: still precise about the outcome.
    expect(preciseText(preciseStatus({ terminated: true, error: 'boom' }))).toBe('Failed: boom');
  });
});
