import { describe, expect, it } from 'vitest';
import {
  InstrumentNameError, parseDeribitExpiryCode, parseInstrumentName, tryParseInstrumentName,
} from '../../src/market/index.ts';

const at8 = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d, 8);

describe('parseInstrumentName', () => {
  it('parses a coin-settled option', () => {
    expect(parseInstrumentName('BTC-27MAR26-90000-C')).toEqual({
      name: 'BTC-27MAR26-90000-C',
      underlying: 'BTC',
      settlement: 'inverse',
      settlementCurrency: 'BTC',
      kind: 'option',
      expiryTimestampMs: at8(2026, 3, 27),
      strike: 90000,
      type: 'call',
    });
    expect(parseInstrumentName('ETH-6FEB26-1850-P')).toMatchObject({
      underlying: 'ETH', kind: 'option', type: 'put', strike: 1850, expiryTimestampMs: at8(2026, 2, 6),
    });
  });

  it('parses linear USDC options with a d-decimal strike', () => {
    expect(parseInstrumentName('XRP_USDC-27MAR26-2d5-P')).toMatchObject({
      underlying: 'XRP', settlement: 'linear', settlementCurrency: 'USDC', kind: 'option', strike: 2.5, type: 'put',
    });
    expect(parseInstrumentName('SOL_USDC-30JAN26-150-C')).toMatchObject({ settlement: 'linear', strike: 150 });
  });

  it('parses dated futures, synthetic forwards, perpetuals and spot', () => {
    expect(parseInstrumentName('BTC-27MAR26')).toEqual({
      name: 'BTC-27MAR26', underlying: 'BTC', settlement: 'inverse', settlementCurrency: 'BTC', kind: 'future',
      expiryTimestampMs: at8(2026, 3, 27), synthetic: false,
    });
    expect(parseInstrumentName('SYN.BTC-6FEB26')).toMatchObject({ kind: 'future', synthetic: true, underlying: 'BTC' });
    expect(parseInstrumentName('BTC-PERPETUAL')).toEqual({
      name: 'BTC-PERPETUAL', underlying: 'BTC', settlement: 'inverse', settlementCurrency: 'BTC', kind: 'perpetual',
    });
    expect(parseInstrumentName('ETH_USDC-PERPETUAL')).toMatchObject({ kind: 'perpetual', settlement: 'linear', settlementCurrency: 'USDC' });
    expect(parseInstrumentName('BTC')).toEqual({ name: 'BTC', underlying: 'BTC', settlement: 'linear', settlementCurrency: 'USD', kind: 'spot' });
    expect(parseInstrumentName('BTC_USDC')).toMatchObject({ kind: 'spot', underlying: 'BTC', settlementCurrency: 'USDC' });
  });

  it('rejects malformed names with a typed error naming the value', () => {
    for (const bad of ['BTC-30FEB26-90000-C', 'BTC-27XYZ26-90000-C', 'BTC-27MAR26-90000-X', 'BTC-27MAR26-0-C', 'btc-27MAR26', '', 'BTC--C']) {
      const r = tryParseInstrumentName(bad);
      expect(r, bad).toBeInstanceOf(InstrumentNameError);
      expect(() => parseInstrumentName(bad)).toThrow(InstrumentNameError);
    }
    try {
      parseInstrumentName('BTC-30FEB26-90000-C');
    } catch (e) {
      expect((e as InstrumentNameError).value).toBe('BTC-30FEB26-90000-C');
      expect((e as InstrumentNameError).field).toBe('instrument');
      expect((e as Error).message).toContain('invalid expiry date');
    }
  });

  it('parses expiry codes to 08:00 UTC', () => {
    expect(parseDeribitExpiryCode('6FEB26')).toBe(Date.parse('2026-02-06T08:00:00Z'));
    expect(parseDeribitExpiryCode('29FEB24')).toBe(Date.parse('2024-02-29T08:00:00Z'));
    expect(parseDeribitExpiryCode('29FEB25')).toBeNull();
  });

  it('returns frozen objects', () => {
    expect(Object.isFrozen(parseInstrumentName('BTC-27MAR26-90000-C'))).toBe(true);
  });
});
