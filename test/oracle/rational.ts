// Exact rationals on BigInt, for the reference oracle.
//
// Deliberately small and slow: every value is a reduced fraction num/den with den > 0,
// comparisons are cross-multiplications. Nothing here knows about floating point.

/** An exact rational number num/den, reduced, with den > 0. */
export interface ORational {
  readonly num: bigint;
  readonly den: bigint;
}

function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = absBig(a);
  b = absBig(b);
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Builds the reduced fraction num/den (den ≠ 0). */
export function rat(num: bigint, den: bigint = 1n): ORational {
  if (den === 0n) throw new RangeError('rat: zero denominator');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

export const ZERO: ORational = { num: 0n, den: 1n };
export const ONE: ORational = { num: 1n, den: 1n };

export function add(a: ORational, b: ORational): ORational {
  return rat(a.num * b.den + b.num * a.den, a.den * b.den);
}
export function sub(a: ORational, b: ORational): ORational {
  return rat(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function mul(a: ORational, b: ORational): ORational {
  return rat(a.num * b.num, a.den * b.den);
}
export function div(a: ORational, b: ORational): ORational {
  if (b.num === 0n) throw new RangeError('div: division by zero');
  return rat(a.num * b.den, a.den * b.num);
}
export function neg(a: ORational): ORational {
  return { num: -a.num, den: a.den };
}
export function abs(a: ORational): ORational {
  return a.num < 0n ? neg(a) : a;
}
export function sign(a: ORational): -1 | 0 | 1 {
  return a.num < 0n ? -1 : a.num > 0n ? 1 : 0;
}
export function isZero(a: ORational): boolean {
  return a.num === 0n;
}
/** -1, 0 or 1 as a < b, a = b, a > b. */
export function cmp(a: ORational, b: ORational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
export function eq(a: ORational, b: ORational): boolean {
  return a.num === b.num && a.den === b.den;
}
export function fromInt(n: bigint): ORational {
  return { num: n, den: 1n };
}
/** 2^k, exactly, for any integer k. */
export function pow2(k: number): ORational {
  if (!Number.isInteger(k)) throw new RangeError('pow2: non-integer exponent');
  return k >= 0 ? { num: 1n << BigInt(k), den: 1n } : { num: 1n, den: 1n << BigInt(-k) };
}
/** a · 2^k */
export function scale2(a: ORational, k: number): ORational {
  return mul(a, pow2(k));
}
/** Is a an integer? */
export function isInteger(a: ORational): boolean {
  return a.den === 1n;
}
/** floor(a) as a BigInt (mathematical floor, also for negatives). */
export function floor(a: ORational): bigint {
  const q = a.num / a.den; // truncates toward zero
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

/** Number of bits of |n| (0 for 0). */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  return n === 0n ? 0 : n.toString(2).length;
}

/** floor(log2 |a|) for a ≠ 0. */
export function log2Floor(a: ORational): number {
  if (a.num === 0n) throw new RangeError('log2Floor: zero');
  const x = abs(a);
  // 2^(bn-1) ≤ num < 2^bn and 2^(bd-1) ≤ den < 2^bd, so x ∈ (2^(k-1), 2^(k+1)) with k = bn - bd.
  const k = bitLength(x.num) - bitLength(x.den);
  return cmp(x, pow2(k)) >= 0 ? k : k - 1;
}

/** floor(sqrt(n)) for n ≥ 0 (Newton's method, exact). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt: negative');
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1); // ≥ sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function toString(a: ORational): string {
  return a.den === 1n ? a.num.toString() : `${a.num}/${a.den}`;
}
