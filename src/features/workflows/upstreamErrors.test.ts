import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import { isUpstreamCreateRefusal, parseUpstreamCreateRefusal } from './upstreamErrors';

const send = (source: unknown, extra: Record<string, unknown> = {}) => ({
  send: { source, destination: { account: { id: 'b', ledger: 'main' } }, amount: { asset: 'USD/2', amount: 100 }, ...extra },
});

describe("upstream's create refusals (500 `creating workflow: …`) placed on the definition", () => {
  it('recognises only that refusal', () => {
    expect(isUpstreamCreateRefusal(new ApiError({ status: 500, errorCode: 'INTERNAL', errorMessage: 'creating workflow: empty specification' }))).toBe(true);
    expect(isUpstreamCreateRefusal(new ApiError({ status: 500, errorCode: 'INTERNAL', errorMessage: 'Instance not found' }))).toBe(false);
    expect(isUpstreamCreateRefusal(new ApiError({ status: 400, errorCode: 'VALIDATION', errorMessage: 'creating workflow: x' }))).toBe(false);
  });

  it('finds the stage whose value the message is about, and names a ${variable} the stack cannot take there', () => {
    const definition = { stages: [send({ account: { id: 'a', allowOverdraft: true } }), send({ account: { id: 'a', allowOverdraft: '${flag}' } })] };
    const [p] = parseUpstreamCreateRefusal(
      "creating workflow: resolving field 'Source': resolving field 'Account': resolving field 'AllowOverdraft': unable to resolve field 'bool' to bool value",
      definition,
    );
    expect(p!.path).toEqual(['stages', 1, 'send', 'source', 'account', 'allowOverdraft']);
    expect(p!.message).toMatch(/^unable to resolve field 'bool' to bool value — the stack checks this value without variables/);
  });

  it('maps Go names to JSON keys (ID, ConnectorID) and type complaints to the value of that type', () => {
    const definition = { stages: [{ noop: {} }, send({ account: { id: 7 } })] };
    expect(
      parseUpstreamCreateRefusal(
        "creating workflow: resolving field 'Source': resolving field 'Account': resolving field 'ID': expected string but was float64",
        definition,
      )[0]!.path,
    ).toEqual(['stages', 1, 'send', 'source', 'account', 'id']);
    const missing = { stages: [{ send: { destination: { account: { id: 'b' } } } }] };
    expect(parseUpstreamCreateRefusal("creating workflow: resolving field 'Source': expected map but was <nil>", missing)[0]!.path).toEqual([
      'stages',
      0,
      'send',
      'source',
    ]);
    const amounts = { stages: [send({ account: { id: 'a' } }, { amount: { asset: 'USD/2', amount: '12.5' } })] };
    expect(
      parseUpstreamCreateRefusal("creating workflow: resolving field 'Amount': resolving field 'Amount': unable to parse '12.5' as big int", amounts)[0]!.path,
    ).toEqual(['stages', 0, 'send', 'amount', 'amount']);
  });

  it('places stage-level refusals on the stage, and anything else on the form', () => {
    expect(parseUpstreamCreateRefusal('creating workflow: unable to resolve schema transfer', { stages: [{ noop: {} }, { transfer: {} }] })[0]!.path).toEqual([
      'stages',
      1,
    ]);
    expect(parseUpstreamCreateRefusal('creating workflow: empty specification', { stages: [{ noop: {} }, {}] })[0]!.path).toEqual(['stages', 1]);
    expect(parseUpstreamCreateRefusal('creating workflow: something new', { stages: [] })[0]).toEqual({
      path: [],
      message: 'something new',
      text: 'creating workflow: something new',
    });
  });
});
