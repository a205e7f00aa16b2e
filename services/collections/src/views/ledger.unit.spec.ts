import { cei } from './ledger.view';

describe('collection effectiveness index', () => {
  it('is (beginning + sales − ending) ÷ (beginning + sales − ending current) in basis points, half up, exact', () => {
    expect(cei('EUR', 1_000_000n, 0n, 600_000n, 0n)).toBe('4000');
    expect(cei('EUR', 4_000_000n, 1_000_000n, 1_500_000n, 700_000n)).toBe('8140');
    // 1 / 3 → 3333.33… bp → 3333; 2 / 3 → 6666.67 → 6667.
    expect(cei('EUR', 3n, 0n, 2n, 0n)).toBe('3333');
    expect(cei('EUR', 3n, 0n, 1n, 0n)).toBe('6667');
    // Beyond 2^53 it stays exact.
    expect(cei('EUR', 999_999_999_999_999n, 1n, 0n, 0n)).toBe('10000');
  });

  it('is undefined (null) when nothing was collectible', () => {
    expect(cei('EUR', 0n, 0n, 0n, 0n)).toBeNull();
    expect(cei('EUR', 1_000_000n, 0n, 1_000_000n, 1_000_000n)).toBeNull();
  });
});
