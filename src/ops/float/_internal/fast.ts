/**
 * The binary64 fast path for formats with {@link FloatSpec.fast} (precision ≤ 24, every value and
 * every product of two values inside binary64's normal range). Each operation computes the exact
 * result as a binary64 value plus the sign of an exact remainder (TwoSum for sums, exact products,
 * an integer quotient or root with a sticky remainder) and rounds once with `roundPackNum`.
 * Operands that are NaN or infinite return {@link SLOW}: the caller takes the general path.
 * Results are packed as code + flags·2^32.
 * @internal
 */
import type { FloatSpec } from '../../../formats/float.js';
import { Mode } from '../../../round/modes.js';
import { FLAGS_SCALE, exponentOf, pow2, roundPackNum, zeroCode, zeroFlags } from '../../../round/_internal/float-round.js';

/** Returned when an operand is special: use the general path. */
export const SLOW = -1;

/** Decodes a code of a format of width ≤ 32 to its binary64 value (NaN for NaNs). */
export function decodeCompute(s: FloatSpec, c: number): number {
  const neg = s.signed && c >= s.signWeight;
  const mag = neg ? c - s.signWeight : c;
  const E = Math.floor(mag / s.manScale);
  const M = mag - E * s.manScale;
  let v: number;
  switch (s.specials) {
    case 'ieee':
      if (E === s.expFieldMax) return M === 0 ? (neg ? -Infinity : Infinity) : NaN;
      break;
    case 'fn':
      if (E === s.expFieldMax && M === s.manScale - 1) return NaN;
      break;
    case 'fnuz':
      if (neg && mag === 0) return NaN;
      break;
    case 'finite':
      break;
  }
  if (E < s.eminField) {
    v = s.subnormals ? M * pow2(s.emin - s.manBits) : 0;
  } else {
    v = (s.manScale + M) * pow2(E - s.bias - s.manBits);
  }
  // Formats without -0 (fnuz) read a signed zero field (a flushed input) as +0.
  return neg && (v !== 0 || s.hasNegZero) ? -v : v;
}

const TABLES = new WeakMap<FloatSpec, Float64Array>();

/** The decode table of a format of width ≤ 16 (built once per spec). */
export function decodeTable(s: FloatSpec): Float64Array {
  let t = TABLES.get(s);
  if (t === undefined) {
    t = new Float64Array(2 ** s.width);
    for (let c = 0; c < t.length; c++) t[c] = decodeCompute(s, c);
    TABLES.set(s, t);
  }
  return t;
}

/** Value of a code (binary64), table-driven for ≤ 16 bits. */
export function decodeNum(s: FloatSpec, c: number): number {
  return s.width <= 16 ? decodeTable(s)[c]! : decodeCompute(s, c);
}

function finite(x: number): boolean {
  return x - x === 0;
}

function zeroPacked(s: FloatSpec, neg: boolean): number {
  return (zeroCode(s, neg) as number) + zeroFlags(s) * FLAGS_SCALE;
}

/** Rounds a signed binary64 value v plus an exact remainder err (|err| ≤ ulp(v)/2, err = 0 if v = 0). */
function roundSum(s: FloatSpec, v: number, err: number, mode: Mode, tb: boolean, U: number, r: number): number {
  const neg = v < 0;
  if (neg && !s.signed) return SLOW; // the general path raises invalid
  // Stochastic rounding reads the r bits below the result's lsb. When v is itself rounded (err ≠ 0),
  // those bits are v's own only while the window stays above v's lsb, i.e. m + r < 52; else the
  // bits of the exact sum below v's 53 bits matter: the general path decides.
  if (err !== 0 && mode === Mode.SR && s.manBits + r > 50) return SLOW;
  const rest = err === 0 ? 0 : (err > 0) !== neg ? 1 : -1;
  return roundPackNum(s, neg, neg ? -v : v, rest, mode, tb, U, r);
}

/** x + y (or x - y with negate) on the fast path. */
export function addF(s: FloatSpec, a: number, b: number, negateB: boolean, mode: Mode, tb: boolean, U: number, r: number): number {
  const x = decodeNum(s, a);
  let y = decodeNum(s, b);
  if (negateB) y = -y;
  if (!finite(x) || !finite(y)) return SLOW;
  const v = x + y;
  if (v === 0) {
    // Exact zero: the common sign of two zeros, else +0 (-0 when rounding down).
    const bothZero = x === 0 && y === 0;
    const neg = bothZero && Object.is(x, y) ? Object.is(x, -0) : mode === Mode.RDN;
    return zeroPacked(s, neg);
  }
  // TwoSum: the exact error of the binary64 sum.
  const bv = v - x;
  const err = x - (v - bv) + (y - bv);
  return roundSum(s, v, err, mode, tb, U, r);
}

/** x · y on the fast path: the product of two ≤ 24-bit significands is exact in binary64. */
export function mulF(s: FloatSpec, a: number, b: number, mode: Mode, tb: boolean, U: number, r: number): number {
  const x = decodeNum(s, a);
  const y = decodeNum(s, b);
  if (!finite(x) || !finite(y)) return SLOW;
  const p = x * y;
  if (p === 0) return zeroPacked(s, Object.is(p, -0));
  return roundSum(s, p, 0, mode, tb, U, r);
}

/** x · y + z with one rounding: exact product, TwoSum for the addition. */
export function fmaF(s: FloatSpec, a: number, b: number, c: number, mode: Mode, tb: boolean, U: number, r: number): number {
  const x = decodeNum(s, a);
  const y = decodeNum(s, b);
  const z = decodeNum(s, c);
  if (!finite(x) || !finite(y) || !finite(z)) return SLOW;
  const p = x * y;
  const v = p + z;
  if (v === 0) {
    const bothZero = p === 0 && z === 0;
    const neg = bothZero && Object.is(p, z) ? Object.is(p, -0) : mode === Mode.RDN;
    return zeroPacked(s, neg);
  }
  const bv = v - p;
  const err = p - (v - bv) + (z - bv);
  return roundSum(s, v, err, mode, tb, U, r);
}

/** Integer significand and exponent of a non-zero value of a fast format: |x| = m·2^e, m < 2^24. */
let sigE = 0;
function sigOf(x: number, manBits: number): number {
  const e = exponentOf(x) - manBits;
  sigE = e;
  return x * pow2(-e);
}

/** x / y: an integer quotient with ≥ precision + 3 bits and the remainder as a sticky bit. */
export function divF(s: FloatSpec, a: number, b: number, mode: Mode, tb: boolean, U: number, r: number): number {
  const x = decodeNum(s, a);
  const y = decodeNum(s, b);
  // Stochastic rounding needs r bits of the fraction: more than the exact binary64 window holds.
  if (!finite(x) || !finite(y) || y === 0 || mode === Mode.SR) return SLOW;
  const neg = (x < 0 || Object.is(x, -0)) !== (y < 0 || Object.is(y, -0));
  if (x === 0) return zeroPacked(s, neg);
  if (neg && !s.signed) return SLOW;
  const mx = sigOf(Math.abs(x), s.manBits);
  const ex = sigE;
  const my = sigOf(Math.abs(y), s.manBits);
  const ey = sigE;
  // mx, my < 2^(m+1); N = mx·2^k < 2^(2m+5) ≤ 2^53, quotient ≥ 2^(m+3).
  const k = s.manBits + 3;
  const N = mx * pow2(k);
  let q = Math.floor(N / my);
  let rem = N - q * my;
  if (rem < 0) {
    q -= 1;
    rem += my;
  } else if (rem >= my) {
    q += 1;
    rem -= my;
  }
  const e = ex - ey - k;
  return roundPackNum(s, neg, q * pow2(e), rem === 0 ? 0 : 1, mode, tb, U, r);
}

/** sqrt(x): an integer root with ≥ precision + 2 bits and a sticky remainder. */
export function sqrtF(s: FloatSpec, a: number, mode: Mode, tb: boolean, U: number, r: number): number {
  const x = decodeNum(s, a);
  if (!finite(x) || x < 0 || mode === Mode.SR) return SLOW;
  if (x === 0) return zeroPacked(s, Object.is(x, -0));
  let mx = sigOf(x, s.manBits);
  let ex = sigE;
  if (ex % 2 !== 0) {
    mx *= 2;
    ex -= 1;
  }
  // N = mx·2^(2k) with bits(N) in {2m+5, 2m+6} (≤ 52): the root has m+3 bits, N is exact.
  const bits = exponentOf(mx) + 1;
  let twoK = 2 * s.manBits + 5 - bits;
  if (twoK % 2 !== 0) twoK += 1;
  if (twoK < 0) twoK = 0;
  const N = mx * pow2(twoK);
  let root = Math.floor(Math.sqrt(N));
  while (root * root > N) root -= 1;
  while ((root + 1) * (root + 1) <= N) root += 1;
  const e = (ex - twoK) / 2;
  return roundPackNum(s, false, root * pow2(e), root * root === N ? 0 : 1, mode, tb, U, r);
}

/** A binary64 value rounded into a fast format (|x| within 2^±1000: the caller checks). */
export function encodeF(s: FloatSpec, x: number, mode: Mode, tb: boolean, U: number, r: number): number {
  if (x === 0) return zeroPacked(s, Object.is(x, -0));
  return roundSum(s, x, 0, mode, tb, U, r);
}

