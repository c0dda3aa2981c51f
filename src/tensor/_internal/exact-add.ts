/**
 * The exact sum of two finite exact values (zeros included), for accumulators whose addend and
 * running sum have different formats: the sum is then rounded once by `fromExact` or
 * `fixedFromExact`. Zero results follow IEEE 754: x + x keeps the sign of a zero; an exact zero from
 * operands of opposite signs is +0, or -0 when `negZero` (rounding toward -∞).
 * @internal
 */
import type { ExactValue } from '../../formats/exact.js';

export type Finite = Extract<ExactValue, { kind: 'finite' | 'zero' }>;

export function exactAdd(a: Finite, b: Finite, negZero: boolean): ExactValue {
  if (a.kind === 'zero' && b.kind === 'zero') return { kind: 'zero', sign: a.sign === b.sign ? a.sign : negZero ? 1 : 0 };
  if (a.kind === 'zero') return b;
  if (b.kind === 'zero') return a;
  // 1. Align both significands on the smaller exponent (exact: BigInts).
  const e = Math.min(a.exp, b.exp);
  const A = a.sig << BigInt(a.exp - e);
  const B = b.sig << BigInt(b.exp - e);
  // 2. Add with signs.
  const S = (a.sign ? -A : A) + (b.sign ? -B : B);
  if (S === 0n) return { kind: 'zero', sign: negZero ? 1 : 0 };
  return S < 0n ? { kind: 'finite', sign: 1, sig: -S, exp: e } : { kind: 'finite', sign: 0, sig: S, exp: e };
}

export function isFinite(x: ExactValue): x is Finite {
  return x.kind === 'finite' || x.kind === 'zero';
}
