import fc from 'fast-check';
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '../../common/amount';
import { Money } from '../components/Money';
import { describeActivity, describeStage, sentenceText } from '../features/instances/sentences';
import { summarizePayload } from '../features/triggers/samples';
import { amountText } from '../features/workflows/stageFacts';
import { parseJsonLossless } from './json';
import { formatAmount, formatMoney, parseAmount, type Amount } from './money';

// Money is exact everywhere: an amount read from the wire (any size up to the service's bound)
// formats to text that parses back to the same integer, and every place that shows an amount
// shows the same text.

const assets = fc.constantFrom('USD/2', 'EUR/2', 'JPY', 'BTC/8', 'ETH/18', 'COIN', 'X/6');
const amounts = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.bigInt({ min: 0n, max: MAX_AMOUNT }), fc.constantFrom(0n, 9007199254740993n, MAX_AMOUNT));

/** The amount as the console receives it: a JSON number literal, read by its one parser. */
const fromWire = (amount: bigint): Amount => (parseJsonLossless(`{"amount":${amount}}`) as { amount: Amount }).amount;

describe('amounts: exact end to end', () => {
  it('format(parse(x)) is x: what is shown parses back to the integer that came over the wire', () => {
    fc.assert(
      fc.property(amounts, assets, (amount, asset) => {
        const shown = formatAmount(fromWire(amount), asset);
        expect(parseAmount(shown, asset)).toBe(amount);
        expect(parseAmount(`-${shown}`, asset)).toBe(-amount);
      }),
    );
  });

  it('every place that shows an amount shows the same text', () => {
    fc.assert(
      fc.property(amounts, assets, (amount, asset) => {
        const wire = fromWire(amount);
        const expected = formatMoney(amount, asset);
        // The Money component (ledger, wallets, payments, balances, postings, graph, builder preview).
        const { container, unmount } = render(<Money amount={wire} asset={asset} />);
        expect(container.textContent).toBe(expected);
        unmount();
        // The stage graph and one-line descriptions of a definition (amounts written as text).
        expect(amountText({ amount: String(wire), asset })).toBe(expected);
        // Stage history: the resolved stage, and the transaction it created.
        const stage = describeStage(
          {
            name: 'RunSend',
            input: { amount: { asset, amount: wire }, source: { account: { id: 'world' } }, destination: { account: { id: 'users:1' } } },
            terminated: true,
            startedAt: '',
          },
          'send',
        );
        expect(sentenceText(stage)).toContain(expected);
        const posting = { source: 'world', destination: 'users:1', amount: wire, asset };
        const activity = describeActivity({
          name: 'CreateTransaction',
          input: { CreateTransaction: { ledger: 'main', data: { postings: [posting], metadata: {} } } },
          output: { CreateTransaction: { data: [{ txid: 7, id: 7, postings: [posting], metadata: {}, timestamp: '' }] } },
          terminated: true,
          startedAt: '',
          attempt: 1,
        });
        expect(sentenceText(activity)).toContain(expected);
        // Sample events of the trigger editor.
        expect(summarizePayload('COMMITTED_TRANSACTIONS', { ledger: 'main', transactions: [{ id: 7, postings: [posting] }] })).toContain(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('a value stored beyond the bound still shows, compact, and exact on hover', () => {
    const huge = '7'.repeat(5000);
    const { container } = render(<Money amount={fromWire(BigInt(huge))} asset="USD/2" />);
    expect(container.textContent).toBe('777,777,777…777,777,777.77 (5,000 digits) USD');
    expect(container.querySelector('span')?.getAttribute('title')).toBe(`${huge} (USD/2)`);
  });
});
