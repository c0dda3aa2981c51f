// Reference oracle for the fixed-point formats of docs/semantics.md (§4).
//
// Independent of src/: exact rationals on BigInt, one quantisation of the exact source value
// (measured in target LSBs), then one overflow step on the quantised integer.

import * as Q from './rational.js';

export interface OFixed {
  width: number;
  frac: number;
  signed: boolean;
  quant: 'TRN' | 'TRN_ZERO' | 'RND' | 'RND_ZERO' | 'RND_MIN_INF' | 'RND_INF' | 'RND_CONV' | 'RND_CONV_ODD' | 'SR';
  overflow: 'SAT' | 'SAT_ZERO' | 'SAT_SYM' | 'WRAP' | 'WRAP_SM';
  satBits: number;
}

export const FX_INEXACT = 1;
export const FX_OVERFLOW = 4;

function checkFixed(t: OFixed): void {
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > 1024) throw new RangeError(`oracle: fixed width ${t.width} not in 1..1024`);
  if (!Number.isInteger(t.frac)) throw new RangeError('oracle: fixed frac must be an integer');
  if (!Number.isInteger(t.satBits) || t.satBits < 0) throw new RangeError('oracle: satBits must be a non-negative integer');
  if (t.overflow === 'WRAP_SM' && !t.signed) throw new RangeError('oracle: WRAP_SM is signed only');
}

/** Integer range [lo, hi] of the raw value. */
function range(t: OFixed): { lo: bigint; hi: bigint } {
  const W = BigInt(t.width);
  return t.signed ? { lo: -(1n << (W - 1n)), hi: (1n << (W - 1n)) - 1n } : { lo: 0n, hi: (1n << W) - 1n };
}

/** Quantises q (the source in target LSBs) to an integer. */
function quantise(t: OFixed, q: Q.ORational, srBits?: number, srU?: number): { n: bigint; exact: boolean } {
  const fl = Q.floor(q);
  const fr = Q.sub(q, Q.fromInt(fl)); // in [0, 1)
  if (Q.isZero(fr)) return { n: fl, exact: true };
  const half = Q.cmp(fr, Q.rat(1n, 2n)); // sign(fr - 1/2)
  const neg = Q.sign(q) < 0;
  const nearest = (tieUp: boolean): bigint => (half > 0 || (half === 0 && tieUp) ? fl + 1n : fl);
  let n: bigint;
  switch (t.quant) {
    case 'TRN': n = fl; break;
    case 'TRN_ZERO': n = neg ? fl + 1n : fl; break;
    case 'RND': n = nearest(true); break;
    case 'RND_ZERO': n = nearest(neg); break; // toward zero: up for negatives
    case 'RND_MIN_INF': n = nearest(false); break;
    case 'RND_INF': n = nearest(!neg); break; // away from zero
    case 'RND_CONV': n = nearest((fl & 1n) === 1n); break; // to even
    case 'RND_CONV_ODD': n = nearest((fl & 1n) === 0n); break; // to odd
    case 'SR': {
      if (srBits === undefined || !Number.isInteger(srBits) || srBits < 1 || srBits > 52) throw new RangeError('oracle: SR needs srBits in 1..52');
      if (srU === undefined || !Number.isInteger(srU) || srU < 0 || srU >= 2 ** srBits) throw new RangeError('oracle: SR needs srU in [0, 2^srBits)');
      // floor(q) + 1 iff frac(q)·2^r > U
      n = Q.cmp(Q.scale2(fr, srBits), Q.fromInt(BigInt(srU))) > 0 ? fl + 1n : fl;
      break;
    }
    default: throw new RangeError(`oracle: unknown quantisation ${String(t.quant)}`);
  }
  return { n, exact: false };
}

/**
 * Assigns the exact rational num/den to the fixed format: one quantisation, one overflow step.
 * Returns the raw W-bit pattern (unsigned) and flags (1 inexact, 4 overflow).
 */
export function oFixedFromRational(t: OFixed, num: bigint, den: bigint, srBits?: number, srU?: number): { raw: bigint; flags: number } {
  checkFixed(t);
  const W = BigInt(t.width);
  const mask = (1n << W) - 1n;
  const x = Q.rat(num, den);
  const q = Q.scale2(x, t.frac);
  const { n, exact } = quantise(t, q, srBits, srU);
  let flags = exact ? 0 : FX_INEXACT;
  const { lo, hi } = range(t);
  // SAT_SYM treats the minimum as an overflow (it becomes -max), except in a 1-bit signed format,
  // where -max would be 0 and ap_fixed keeps min|1 = min: the value stands, no overflow.
  if (n >= lo && n <= hi && !(t.overflow === 'SAT_SYM' && t.signed && n === lo && t.width > 1)) {
    return { raw: n & mask, flags };
  }
  flags |= FX_OVERFLOW;
  const srcNeg = Q.sign(x) < 0;
  const N = BigInt(Math.min(t.satBits, t.width));
  const topN = N === 0n ? 0n : ((1n << N) - 1n) << (W - N); // the top N bits
  const wrapped = n & mask;
  const msb = (wrapped >> (W - 1n)) & 1n;
  let raw: bigint;
  switch (t.overflow) {
    case 'SAT':
      raw = (n < lo ? lo : hi) & mask;
      break;
    case 'SAT_ZERO':
      raw = 0n;
      break;
    case 'SAT_SYM':
      // Signed: ±max; a width-1 signed format has max 0 and the library gives min|1 = -1 below.
      if (t.signed) raw = n < 0n ? ((1n << (W - 1n)) | 1n) & mask : hi & mask;
      else raw = (n < lo ? lo : hi) & mask;
      break;
    case 'WRAP':
      if (N === 0n) raw = wrapped;
      else if (t.signed) raw = setTop(wrapped, W, N, srcNeg);
      else raw = wrapped | topN; // unsigned: the top N bits become 1, also for negative sources
      break;
    case 'WRAP_SM': {
      if (N === 0n) {
        // invert when bit W of the unrounded source floor(q) differs from the wrapped MSB
        const bitW = (Q.floor(q) >> W) & 1n;
        raw = bitW !== msb ? wrapped ^ mask : wrapped;
      } else if (N === 1n) {
        raw = BigInt(srcNeg ? 1 : 0) !== msb ? wrapped ^ mask : wrapped;
        raw = setTop(raw, W, N, srcNeg);
      } else {
        // N >= 2 (ap_fixed's overflow_adjust): invert when bit W-N EQUALS the source sign.
        const bitWN = (wrapped >> (W - N)) & 1n;
        raw = bitWN === BigInt(srcNeg ? 1 : 0) ? wrapped ^ mask : wrapped;
        raw = setTop(raw, W, N, srcNeg);
      }
      break;
    }
    default: throw new RangeError(`oracle: unknown overflow mode ${String(t.overflow)}`);
  }
  return { raw, flags };
}

/**
 * The top N bits of a signed W-bit pattern replaced by those of the saturated value of the source's
 * sign: the sign bit becomes the source sign, the N-1 bits below it its complement (max is 0 1…1,
 * min 1 0…0), as ap_fixed's overflow_adjust does.
 */
function setTop(raw: bigint, W: bigint, N: bigint, neg: boolean): bigint {
  const sign = 1n << (W - 1n);
  const below = N > 1n ? ((1n << (N - 1n)) - 1n) << (W - N) : 0n; // bits W-N .. W-2
  let r = raw & ~(sign | below);
  if (neg) r |= sign;
  else r |= below;
  return r;
}

/** The exact value raw · 2^-frac of a raw W-bit pattern, as a reduced fraction (den > 0). */
export function oFixedValue(t: OFixed, raw: bigint): { num: bigint; den: bigint } {
  checkFixed(t);
  const W = BigInt(t.width);
  if (raw < 0n || raw >= 1n << W) throw new RangeError(`oracle: raw ${raw} out of range for width ${t.width}`);
  const n = t.signed && raw >= 1n << (W - 1n) ? raw - (1n << W) : raw;
  const v = Q.scale2(Q.fromInt(n), -t.frac);
  return { num: v.num, den: v.den };
}
