import { describe, expect, it } from 'vitest';
import { amountSign, formatAmount, formatMoney, parseAsset, toBigInt } from './money';

describe('money', () => {
  it('formats with the asset precision', () => {
    expect(formatMoney(12345, 'USD/2')).toBe('123.45 USD');
    expect(formatMoney(5, 'EUR/2')).toBe('0.05 EUR');
    expect(formatMoney(0, 'USD/2')).toBe('0.00 USD');
    expect(formatMoney(1250, 'JPY')).toBe('1,250 JPY');
    expect(formatMoney(1234567, 'USD/2')).toBe('12,345.67 USD');
    expect(formatMoney(1, 'BTC/8')).toBe('0.00000001 BTC');
  });

  it('formats negative amounts (world balances)', () => {
    expect(formatMoney(-1250, 'USD/2')).toBe('-12.50 USD');
    expect(formatMoney('-5', 'USD/2')).toBe('-0.05 USD');
  });

  it('is exact beyond 2^53, from strings and bigints', () => {
    expect(formatMoney('123456789012345678901234', 'USD/2')).toBe('1,234,567,890,123,456,789,012.34 USD');
    expect(formatMoney(2n ** 64n, 'COIN')).toBe('18,446,744,073,709,551,616 COIN');
  });

  it('parses assets', () => {
    expect(parseAsset('USD/2')).toEqual({ code: 'USD', precision: 2 });
    expect(parseAsset('USD_CENT')).toEqual({ code: 'USD_CENT', precision: 0 });
  });

  it('shows non-integers unchanged instead of inventing digits', () => {
    expect(toBigInt(1.5)).toBeNull();
    expect(formatAmount('abc', 'USD/2')).toBe('abc');
  });

  it('gives the sign', () => {
    expect(amountSign('-1')).toBe(-1);
    expect(amountSign(0)).toBe(0);
    expect(amountSign(10n)).toBe(1);
  });
});
