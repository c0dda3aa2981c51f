/**
 * Exact sums and products of {@link ExactValue}s across number systems (fixed ↔ float, or float
 * operands of different formats), as `eval` on mixed formats uses them: the exact result is then
 * rounded once into the target.
 * IEEE 754 rules for infinities and signed zeros; NaN operands are handled by the caller.
 */
import { trailingZeros, type ExactValue } from './exact.js';
import type { RoundingMode } from '../round/modes.js';

/** An invalid operation (∞ - ∞, 0 · ∞). */
export const INVALID = 'invalid' as const;

type Sign = 0 | 1;

/**
 * x + y (or x - y with `negateY`), exactly. An exact zero sum of operands of opposite sign is +0,
 * or -0 under `rdn`; zeros of one sign keep it.
 */
export function exactAdd(x: ExactValue, y: ExactValue, negateY: boolean, mode: RoundingMode): ExactValue | typeof INVALID {
  if (x.kind === 'nan' || y.kind === 'nan') throw new RangeError('exactAdd: NaN operands are handled by the caller');
  const ys: Sign = negateY ? ((1 - y.sign) as Sign) : y.sign;
  if (x.kind === 'inf' || y.kind === 'inf') {
    if (x.kind === 'inf' && y.kind === 'inf' && x.sign !== ys) return INVALID;
    return { kind: 'inf', sign: x.kind === 'inf' ? x.sign : ys };
  }
  if (x.kind === 'zero' && y.kind === 'zero') {
    return { kind: 'zero', sign: x.sign === ys ? x.sign : mode === 'rdn' ? 1 : 0 };
  }
  if (x.kind === 'zero') return y.kind === 'finite' ? { ...y, sign: ys } : y;
  if (y.kind === 'zero') return x;
  const e = Math.min(x.exp, y.exp);
  const a = x.sig << BigInt(x.exp - e);
  const b = y.sig << BigInt(y.exp - e);
  const s = (x.sign ? -a : a) + (ys ? -b : b);
  if (s === 0n) return { kind: 'zero', sign: mode === 'rdn' ? 1 : 0 };
  return normalise(s < 0n ? 1 : 0, s < 0n ? -s : s, e);
}

/** x · y, exactly; 0 · ∞ is invalid. */
export function exactMul(x: ExactValue, y: ExactValue): ExactValue | typeof INVALID {
  if (x.kind === 'nan' || y.kind === 'nan') throw new RangeError('exactMul: NaN operands are handled by the caller');
  const sign = (x.sign ^ y.sign) as Sign;
  if (x.kind === 'inf' || y.kind === 'inf') {
    if (x.kind === 'zero' || y.kind === 'zero') return INVALID;
    return { kind: 'inf', sign };
  }
  if (x.kind === 'zero' || y.kind === 'zero') return { kind: 'zero', sign };
  return normalise(sign, x.sig * y.sig, x.exp + y.exp);
}

/** sig · 2^exp with sig made odd. */
export function normalise(sign: Sign, sig: bigint, exp: number): ExactValue {
  if (sig === 0n) return { kind: 'zero', sign };
  const tz = trailingZeros(sig);
  return { kind: 'finite', sign, sig: sig >> BigInt(tz), exp: exp + tz };
}

/** Orders two non-NaN exact values: -1, 0, 1 (+0 = -0). */
export function exactCompare(x: ExactValue, y: ExactValue): number {
  const sx = signum(x);
  const sy = signum(y);
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  let mag: number;
  if (x.kind === 'inf' || y.kind === 'inf') mag = x.kind === y.kind ? 0 : x.kind === 'inf' ? 1 : -1;
  else {
    const a = x as ExactValue & { kind: 'finite' };
    const b = y as ExactValue & { kind: 'finite' };
    const e = Math.min(a.exp, b.exp);
    const p = a.sig << BigInt(a.exp - e);
    const q = b.sig << BigInt(b.exp - e);
    mag = p === q ? 0 : p < q ? -1 : 1;
  }
  return sx > 0 ? mag : -mag;
}

function signum(x: ExactValue): number {
  if (x.kind === 'zero') return 0;
  return x.sign ? -1 : 1;
}
