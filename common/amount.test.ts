import { describe, expect, it } from 'vitest';
import { checkAmount, MAX_AMOUNT } from './amount';

describe('checkAmount', () => {
  it('accepts integers up to 2^256 − 1 from numbers, bigints and decimal strings', () => {
    expect(checkAmount(0)).toEqual({ amount: 0n });
    expect(checkAmount(1250)).toEqual({ amount: 1250n });
    expect(checkAmount('9007199254740993')).toEqual({ amount: 9007199254740993n });
    expect(checkAmount(MAX_AMOUNT)).toEqual({ amount: MAX_AMOUNT });
    expect(checkAmount(String(MAX_AMOUNT))).toEqual({ amount: MAX_AMOUNT });
    expect(checkAmount('000' + String(MAX_AMOUNT))).toEqual({ amount: MAX_AMOUNT });
  });
  it('refuses fractions, negatives, other types and anything above the bound', () => {
    expect(checkAmount(12.5)).toEqual({ problem: 'amount must be an integer in minor units, got 12.5' });
    expect(checkAmount('12.50')).toEqual({ problem: "amount must be an integer in minor units, got '12.50'" });
    expect(checkAmount(-1)).toEqual({ problem: 'negative amount' });
    expect(checkAmount('-5')).toEqual({ problem: 'negative amount' });
    expect(checkAmount(null)).toEqual({ problem: 'amount must be an integer number, got null' });
    expect(checkAmount(MAX_AMOUNT + 1n)).toEqual({ problem: 'amount too large: 78 digits, at most 2^256 − 1 (78 digits)' });
    expect(checkAmount('9'.repeat(5000))).toEqual({ problem: 'amount too large: 5,000 digits, at most 2^256 − 1 (78 digits)' });
  });
});
