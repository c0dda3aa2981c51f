/**
 * fast-check arbitraries for every format, for users' property tests (import from `bitexact/testing`).
 * Each biases toward the corners that break arithmetic: ±0, ±max, the smallest subnormal and normal,
 * NaN, ±∞, and values exactly halfway between two codes. `test/testing/arbitraries.test.ts` checks that
 * they really produce them.
 */
import fc from 'fast-check';
import type { FloatSpec } from '../formats/float.js';
import { decode } from '../ops/float/decode.js';
import { floatFormat, type Specials } from '../formats/float.js';
import { pack } from '../round/_internal/float-round.js';

/**
 * The special codes of a format that exist in it: ±0, ±min subnormal, ±min normal, ±max, ±∞, NaNs
 * (every NaN code class: quiet and signalling for `ieee`).
 *
 * @example
 * ```ts
 * specialCodes(catalog.e4m3fn).map((c) => c.toString(16)); // => ['0', '80', '1', '81', '8', '88', '7e', 'fe', '7f', 'ff']
 * ```
 */
export function specialCodes(s: FloatSpec): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  const both = (E: number, M: number) => {
    out.push(pack(s, false, E, M));
    if (s.signed) out.push(pack(s, true, E, M));
  };
  if (s.hasZero) {
    out.push(pack(s, false, 0, 0));
    if (s.hasNegZero) out.push(pack(s, true, 0, 0));
  }
  if (s.subnormals && s.manBits > 0) both(0, 1);
  both(s.eminField, 0);
  both(s.expBits === 0 ? 0 : s.emax + s.bias, s.maxManAtEmax);
  if (s.hasInf) both(s.expFieldMax, 0);
  if (s.specials === 'ieee') {
    both(s.expFieldMax, s.manScale / 2);
    if (s.manBits >= 2) both(s.expFieldMax, 1);
  } else if (s.specials === 'fn') {
    both(s.expFieldMax, s.manScale - 1);
  } else if (s.specials === 'fnuz') {
    out.push(pack(s, true, 0, 0));
  }
  return [...new Set(out)];
}

/**
 * Any code of the format (a bigint for formats wider than 53 bits), a quarter of the time a special one.
 *
 * @example
 * ```ts
 * fc.sample(codeArb(catalog.fp16), 3); // => e.g. [31744, 15360, 1]
 * ```
 */
export function codeArb(s: FloatSpec): fc.Arbitrary<number | bigint> {
  const any: fc.Arbitrary<number | bigint> = s.wide
    ? fc.bigInt({ min: 0n, max: (1n << BigInt(s.width)) - 1n })
    : fc.integer({ min: 0, max: 2 ** s.width - 1 });
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...specialCodes(s)) }, { weight: 3, arbitrary: any });
}

/**
 * Finite, non-NaN codes only.
 */
export function finiteCodeArb(s: FloatSpec): fc.Arbitrary<number | bigint> {
  return codeArb(s).filter((c) => Number.isFinite(decode(s, c)));
}

/**
 * JavaScript numbers that are exactly halfway between two adjacent values of the format, or one
 * binary64 ulp either side of such a midpoint: the inputs on which rounding modes differ.
 *
 * @example
 * ```ts
 * fc.sample(nearTieArb(catalog.e4m3fn), 1); // => e.g. [464] (halfway between 448 and 480)
 * ```
 */
export function nearTieArb(s: FloatSpec): fc.Arbitrary<number> {
  return fc.tuple(finiteCodeArb(s), fc.constantFrom(-1, 0, 1)).map(([c, nudge]) => {
    const v = decode(s, c);
    const a = Math.abs(v);
    // The gap above |v| at the format's precision (unbounded exponent above the max).
    const e = a === 0 ? s.emin : Math.max(Math.floor(Math.log2(a)), s.emin);
    const ulp = 2 ** (e - s.manBits);
    let mid = (a + ulp / 2) * (v < 0 || Object.is(v, -0) ? -1 : 1);
    if (nudge !== 0) mid = nudge > 0 ? nextUp(mid) : nextDown(mid);
    return mid;
  });
}

function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] = u[0]! + (x > 0 ? 1n : -1n);
  return b[0]!;
}
function nextDown(x: number): number {
  return -nextUp(-x);
}

/** Options of {@link floatFormatArb}. */
export interface FloatFormatArbOptions {
  readonly maxExpBits?: number;
  readonly maxManBits?: number;
  readonly specials?: readonly Specials[];
}

/**
 * Random valid float formats (any ExMy within the limits, every special encoding and overflow policy,
 * with and without subnormals).
 *
 * @example
 * ```ts
 * fc.sample(floatFormatArb({ maxExpBits: 5, maxManBits: 4 }), 1)[0].name; // => e.g. "e3m2fnuz"
 * ```
 */
export function floatFormatArb(o: FloatFormatArbOptions = {}): fc.Arbitrary<FloatSpec> {
  const maxE = o.maxExpBits ?? 11;
  const maxM = o.maxManBits ?? 52;
  const specials = o.specials ?? ['ieee', 'fn', 'fnuz', 'finite'];
  return fc
    .record({
      expBits: fc.integer({ min: 2, max: maxE }),
      manBits: fc.integer({ min: 1, max: maxM }),
      specials: fc.constantFrom(...specials),
      subnormals: fc.boolean(),
      biasShift: fc.integer({ min: -3, max: 3 }),
      overflowPick: fc.nat(2),
    })
    .map((r) => {
      const policies = r.specials === 'ieee' ? ['inf', 'saturate', 'nan'] : r.specials === 'finite' ? ['saturate'] : ['nan', 'saturate'];
      const overflow = policies[r.overflowPick % policies.length] as 'inf' | 'saturate' | 'nan';
      // Keep every value inside binary64's range: largest exponent ≤ 1023, smallest ≥ -1074.
      const topField = r.specials === 'ieee' ? 2 ** r.expBits - 2 : 2 ** r.expBits - 1;
      let manBits = r.manBits;
      const lo = topField - 1023;
      if (lo > 1075 - manBits) manBits = 1075 - lo;
      const bias = Math.min(Math.max(2 ** (r.expBits - 1) - 1 + r.biasShift, lo), 1075 - manBits);
      return floatFormat({ expBits: r.expBits, manBits, specials: r.specials, subnormals: r.subnormals, bias, overflow });
    });
}

/** A JavaScript number near the format's range: log-uniform magnitudes from below the smallest subnormal to above the max. */
export function valueArb(s: FloatSpec): fc.Arbitrary<number> {
  const lo = Math.log2(s.minPositive) - 3;
  const hi = Math.log2(s.maxFinite) + 2;
  return fc.oneof(
    fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([l, neg]) => (neg ? -1 : 1) * 2 ** l),
    nearTieArb(s),
    fc.constantFrom(0, -0, Infinity, -Infinity, NaN),
  );
}

