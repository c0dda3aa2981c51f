// Hand-checked cases for the oracle, and self-consistency of its two rounding paths.

import { expect } from 'chai';
import {
  bf16, e2m1fn, e2m3fn, e3m2fn, e4m3fn, e4m3fnuz, e5m2, e5m2fnuz, e8m0fnu, fp16, fp32, fp64, ORACLE_CATALOG,
  oAdd, oCompare, oConvert, oDecode, oDiv, oFma, oFormatInfo, oFromInt, oFromNumber, oMul, oRoundRational,
  oRoundSqrtOf, oSqrt, oSub, oToInt,
} from './float.js';
import type { OCtx, OFormat, OMode, OResult } from './float.js';
import { oFixedFromRational, oFixedValue } from './fixed.js';
import type { OFixed } from './fixed.js';
import * as Q from './rational.js';

const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
const rne: OCtx = { mode: 'rne', tininess: 'after' };
const ctx = (mode: OMode, tininess: 'before' | 'after' = 'after'): OCtx => ({ mode, tininess });
const sr = (srBits: number, srU: number): OCtx => ({ mode: 'sr', tininess: 'after', srBits, srU });
const r = (code: number | bigint, flags = 0): OResult => ({ code: BigInt(code), flags });
const num = (f: OFormat, x: number, c: OCtx = rne): OResult => oFromNumber(f, x, c);
const value = (f: OFormat, code: number): number | string => {
  const v = oDecode(f, BigInt(code));
  return typeof v === 'string' ? v : Number(v.num) / Number(v.den);
};

describe('the oracle on the catalog formats (hand-checked)', function () {
  it('encodes e4m3fn: 448 is the largest, 464 rounds to 448, 465 overflows to NaN', function () {
    expect(value(e4m3fn, 0x7e)).to.equal(448);
    expect(value(e4m3fn, 0x7f)).to.equal('nan');
    expect(value(e4m3fn, 0xff)).to.equal('nan');
    expect(value(e4m3fn, 0x01)).to.equal(2 ** -9);
    expect(num(e4m3fn, 448)).to.deep.equal(r(0x7e));
    expect(num(e4m3fn, 464)).to.deep.equal(r(0x7e, NX));
    expect(num(e4m3fn, 465)).to.deep.equal(r(0x7f, OF | NX));
    expect(num(e4m3fn, -465)).to.deep.equal(r(0xff, OF | NX));
    expect(oFormatInfo(e4m3fn).maxFiniteCode).to.equal(0x7en);
  });

  it('continues the top binade of e4m3fn past its NaN code when deciding overflow', function () {
    // 470 truncates to 448; 490 truncates to 480, which is beyond 448: overflow even toward zero.
    expect(num(e4m3fn, 470, ctx('rtz'))).to.deep.equal(r(0x7e, NX));
    expect(num(e4m3fn, 490, ctx('rtz'))).to.deep.equal(r(0x7e, OF | NX));
    expect(num(e4m3fn, 490, ctx('rne'))).to.deep.equal(r(0x7f, OF | NX));
  });

  it('encodes e5m2 with a largest value of 57344 and IEEE infinities', function () {
    expect(value(e5m2, 0x7b)).to.equal(57344);
    expect(value(e5m2, 0x7c)).to.equal('+inf');
    expect(num(e5m2, 61439)).to.deep.equal(r(0x7b, NX));
    expect(num(e5m2, 61440)).to.deep.equal(r(0x7c, OF | NX)); // tie, 57344 has an odd significand
    expect(num(e5m2, 1e6, ctx('rtz'))).to.deep.equal(r(0x7b, OF | NX));
    expect(num(e5m2, -1e6, ctx('rup'))).to.deep.equal(r(0xfb, OF | NX));
    expect(num(e5m2, -1e6, ctx('rdn'))).to.deep.equal(r(0xfc, OF | NX));
  });

  it('decodes e2m1fn to 0, 0.5, 1, 1.5, 2, 3, 4, 6 and their negatives, and saturates', function () {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((c) => value(e2m1fn, c))).to.deep.equal(['+0', 0.5, 1, 1.5, 2, 3, 4, 6]);
    expect([8, 9, 15].map((c) => value(e2m1fn, c))).to.deep.equal(['-0', -0.5, -6]);
    expect(num(e2m1fn, 6.5)).to.deep.equal(r(0x7, NX));
    expect(num(e2m1fn, 7)).to.deep.equal(r(0x7, OF | NX));
    expect(num(e2m1fn, -100)).to.deep.equal(r(0xf, OF | NX));
    expect(num(e2m1fn, 0.25)).to.deep.equal(r(0x0, UF | NX)); // tie to even 0
    expect(num(e2m1fn, 0.75)).to.deep.equal(r(0x2, UF | NX)); // tie, 0.5 is odd: up to 1
    expect(num(e2m1fn, -0.1)).to.deep.equal(r(0x8, UF | NX));
  });

  it('knows the limits of e3m2fn (28), e2m3fn (7.5), e4m3fnuz (240), e5m2fnuz (57344) and bf16', function () {
    expect(value(e3m2fn, 0x1f)).to.equal(28);
    expect(value(e3m2fn, 0x01)).to.equal(1 / 16);
    expect(value(e2m3fn, 0x1f)).to.equal(7.5);
    expect(value(e2m3fn, 0x01)).to.equal(1 / 8);
    expect(value(e4m3fnuz, 0x7f)).to.equal(240);
    expect(value(e4m3fnuz, 0x01)).to.equal(2 ** -10);
    expect(value(e5m2fnuz, 0x7f)).to.equal(57344);
    expect(value(e5m2fnuz, 0x01)).to.equal(2 ** -17);
    expect(value(bf16, 0x7f7f)).to.equal(3.3895313892515355e38);
    expect(num(bf16, 1 + 2 ** -8)).to.deep.equal(r(0x3f80, NX));
  });

  it('has no negative zero in fnuz formats: -0 becomes +0 and 0x80 is the only NaN', function () {
    expect(value(e4m3fnuz, 0x80)).to.equal('nan');
    expect(num(e4m3fnuz, -0)).to.deep.equal(r(0x00));
    expect(num(e4m3fnuz, -1e-10)).to.deep.equal(r(0x00, UF | NX));
    expect(oMul(e4m3fnuz, 0x00n, 0xb8n, rne)).to.deep.equal(r(0x00));
    expect(oSub(e4m3fnuz, 0x38n, 0x38n, ctx('rdn'))).to.deep.equal(r(0x00));
    expect(oDiv(e4m3fnuz, 0x00n, 0x00n, rne)).to.deep.equal(r(0x80, NV));
    expect(num(e4m3fnuz, 1000)).to.deep.equal(r(0x80, OF | NX));
    expect(num(e5m2fnuz, NaN)).to.deep.equal(r(0x80));
  });

  it('encodes e8m0fnu as powers of two, with implied-bit parity deciding ties (3 → 4, as ml_dtypes)', function () {
    expect(value(e8m0fnu, 0x7f)).to.equal(1);
    expect(value(e8m0fnu, 0x00)).to.equal(2 ** -127);
    expect(value(e8m0fnu, 0xfe)).to.equal(2 ** 127);
    expect(value(e8m0fnu, 0xff)).to.equal('nan');
    expect(num(e8m0fnu, 2 ** 127)).to.deep.equal(r(0xfe));
    expect(num(e8m0fnu, 3)).to.deep.equal(r(0x81, NX)); // the kept significand is 1 (odd): ties go up
    expect(num(e8m0fnu, 2.9)).to.deep.equal(r(0x80, NX));
    expect(num(e8m0fnu, 2 ** -128)).to.deep.equal(r(0x00, UF | NX));
    expect(num(e8m0fnu, 1.5 * 2 ** -128)).to.deep.equal(r(0x00, NX)); // rounds up to 2^-127: not tiny
    expect(num(e8m0fnu, 2 ** 128)).to.deep.equal(r(0xff, OF | NX));
    expect(num(e8m0fnu, -1)).to.deep.equal(r(0xff, NV));
  });

  it('gives e8m0fnu\'s NaN with invalid for an exact zero, and 2^-127 with underflow for a flushed value', function () {
    // An exact zero has no encoding (ml_dtypes converts 0 to NaN).
    expect(num(e8m0fnu, 0)).to.deep.equal(r(0xff, NV));
    expect(num(e8m0fnu, -0)).to.deep.equal(r(0xff, NV));
    expect(oFromInt(e8m0fnu, 0n, rne)).to.deep.equal(r(0xff, NV));
    expect(oConvert(fp16, e8m0fnu, 0x8000n, rne)).to.deep.equal(r(0xff, NV));
    expect(oSub(e8m0fnu, 0x7fn, 0x7fn, rne)).to.deep.equal(r(0xff, NV)); // 1 - 1
    expect(oSub(e8m0fnu, 0x00n, 0x00n, ctx('rdn'))).to.deep.equal(r(0xff, NV));
    expect(oFma(e8m0fnu, 0x7fn, 0x80n, 0x80n, rne)).to.deep.equal(r(0x81)); // 1·2 + 2 = 4
    // A non-zero value that lands below 2^-127 after rounding: the smallest value, 0x00.
    expect(num(e8m0fnu, 2 ** -130)).to.deep.equal(r(0x00, UF | NX));
    expect(num(e8m0fnu, 2 ** -130, ctx('rtz'))).to.deep.equal(r(0x00, UF | NX));
    expect(num(e8m0fnu, 2 ** -130, ctx('rne', 'before'))).to.deep.equal(r(0x00, UF | NX));
    // Rounded up to 2^-127 on the gradual-underflow grid (m = 0: lsb 2^-127): stays, tiny.
    expect(num(e8m0fnu, 2 ** -130, ctx('rup'))).to.deep.equal(r(0x00, UF | NX));
    expect(oSub(e8m0fnu, 0x01n, 0x00n, rne)).to.deep.equal(r(0x00)); // 2^-126 - 2^-127: exact
    expect(oMul(e8m0fnu, 0x00n, 0x3fn, rne)).to.deep.equal(r(0x00, UF | NX)); // 2^-127 · 2^-64
    expect(oDiv(e8m0fnu, 0x00n, 0x80n, ctx('rup'))).to.deep.equal(r(0x00, UF | NX)); // 2^-128, rounded up
  });

  it('rounds fp16 at the top of the range per mode and sign', function () {
    expect(num(fp16, 65504)).to.deep.equal(r(0x7bff));
    expect(num(fp16, 65519.99)).to.deep.equal(r(0x7bff, NX));
    expect(num(fp16, 65520)).to.deep.equal(r(0x7c00, OF | NX));
    // Overflow is judged on the rounded value: toward zero, 65520 rounds to 65504, no overflow.
    expect(num(fp16, 65520, ctx('rtz'))).to.deep.equal(r(0x7bff, NX));
    expect(num(fp16, -65520, ctx('rod'))).to.deep.equal(r(0xfbff, NX));
    expect(num(fp16, 65536, ctx('rtz'))).to.deep.equal(r(0x7bff, OF | NX));
    expect(num(fp16, 65536, ctx('rdn'))).to.deep.equal(r(0x7bff, OF | NX));
    expect(num(fp16, 65536, ctx('rup'))).to.deep.equal(r(0x7c00, OF | NX));
    expect(num(fp16, -65536, ctx('rup'))).to.deep.equal(r(0xfbff, OF | NX));
    expect(num(fp16, -65536, ctx('rod'))).to.deep.equal(r(0xfbff, OF | NX));
    expect(num(fp16, -65520, ctx('rdn'))).to.deep.equal(r(0xfc00, OF | NX));
    expect(num(fp16, 1e300, sr(4, 0))).to.deep.equal(r(0x7c00, OF | NX));
  });

  it('tells tininess before rounding from tininess after rounding', function () {
    const x = (1 - 2 ** -12) * 2 ** -14; // rounds up to the smallest normal 0x0400
    expect(num(fp16, x, ctx('rne', 'after'))).to.deep.equal(r(0x0400, NX));
    expect(num(fp16, x, ctx('rne', 'before'))).to.deep.equal(r(0x0400, UF | NX));
    expect(num(fp16, x, ctx('rtz', 'after'))).to.deep.equal(r(0x03ff, UF | NX));
    expect(num(fp16, 2 ** -24, ctx('rne', 'before'))).to.deep.equal(r(0x0001)); // exact subnormal: no flag
  });

  it('rounds at the gradual-underflow position without subnormals, then flushes below 2^emin', function () {
    // W8_E4 (m = 3, emin = -6) with ac_std_float's No_SubNormals: lsb = max(floor(log2|X|), -6) - 3.
    const w8e4ns: OFormat = { ...e5m2, expBits: 4, manBits: 3, bias: 7, subnormals: false };
    expect(num(w8e4ns, 0.6 * 2 ** -6)).to.deep.equal(r(0x00, UF | NX)); // 4.8 → 5 subnormal units: flushed
    expect(num(w8e4ns, -0.6 * 2 ** -6)).to.deep.equal(r(0x80, UF | NX));
    expect(num(w8e4ns, 2 ** -12, ctx('rup'))).to.deep.equal(r(0x00, UF | NX)); // up to 2^-9, still flushed
    // 2^emin·(1 - 2^-(m+2)) = 7.75 units: rounds up to 2^emin, which stays; tiny only before rounding.
    const a = (1 - 2 ** -5) * 2 ** -6;
    expect(num(w8e4ns, a)).to.deep.equal(r(0x08, NX));
    expect(num(w8e4ns, a, ctx('rne', 'before'))).to.deep.equal(r(0x08, UF | NX));
    expect(num(w8e4ns, -a, ctx('rna'))).to.deep.equal(r(0x88, NX));
    expect(num(w8e4ns, a, ctx('rtz'))).to.deep.equal(r(0x00, UF | NX)); // 7 units: flushed
    // 2^emin·(1 - 2^-(m+1)) = 7.5 units, exact with an unbounded exponent range: a tie on the
    // gradual grid, up to 2^emin in rne (7 is odd) and rna, tiny both ways; flushed in rno and rtz.
    const b = (1 - 2 ** -4) * 2 ** -6;
    expect(num(w8e4ns, b)).to.deep.equal(r(0x08, UF | NX));
    expect(num(w8e4ns, b, ctx('rne', 'before'))).to.deep.equal(r(0x08, UF | NX));
    expect(num(w8e4ns, b, ctx('rna'))).to.deep.equal(r(0x08, UF | NX));
    expect(num(w8e4ns, b, ctx('rno'))).to.deep.equal(r(0x00, UF | NX));
    expect(num(w8e4ns, -b, ctx('rtz'))).to.deep.equal(r(0x80, UF | NX));
    // The ac_std_float W8_E4 .nosub lines (mul 1398, fma 863 and 888, AC_RND_CONV and AC_RND_INF).
    for (const mode of ['rne', 'rna'] as const) {
      expect(oMul(w8e4ns, 0xa2n, 0x1cn, ctx(mode))).to.deep.equal(r(0x88, UF | NX));
      expect(oFma(w8e4ns, 0xa9n, 0xafn, 0x9fn, ctx(mode))).to.deep.equal(r(0x08, UF | NX));
      expect(oFma(w8e4ns, 0xa5n, 0x2an, 0x1an, ctx(mode))).to.deep.equal(r(0x08, UF | NX));
    }
    expect(oDecode(w8e4ns, 0x81n)).to.equal('-0'); // inputs: denormals are zero
    expect(oAdd(w8e4ns, 0x01n, 0x01n, rne)).to.deep.equal(r(0x00));
    expect(oMul(w8e4ns, 0x08n, 0x38n, rne)).to.deep.equal(r(0x08)); // exactly 2^emin: no flag
    // A wide format (arithmetic path): binary32 without subnormals, 2^-126·(1 - 2^-24) ties up.
    const f32ns: OFormat = { ...fp32, subnormals: false };
    const t = Q.mul(Q.pow2(-126), Q.rat((1n << 24n) - 1n, 1n << 24n));
    expect(oRoundRational(f32ns, t, rne)).to.deep.equal(r(0x00800000, UF | NX));
    expect(oRoundRational(f32ns, Q.neg(t), ctx('rno'))).to.deep.equal(r(0x80000000, UF | NX));
    expect(oRoundRational(f32ns, Q.mul(t, Q.fromInt(2n)), rne)).to.deep.equal(r(0x00ffffff)); // exact, binade emin
  });

  it('gives +0 for exact cancellation, -0 in rdn, and keeps the sign of x + x for zeros', function () {
    expect(oSub(fp16, 0x3c00n, 0x3c00n, rne)).to.deep.equal(r(0x0000));
    expect(oSub(fp16, 0x3c00n, 0x3c00n, ctx('rdn'))).to.deep.equal(r(0x8000));
    expect(oAdd(fp16, 0x8000n, 0x8000n, rne)).to.deep.equal(r(0x8000));
    expect(oAdd(fp16, 0x8000n, 0x0000n, rne)).to.deep.equal(r(0x0000));
    expect(oFma(fp16, 0x3c00n, 0xbc00n, 0x3c00n, rne)).to.deep.equal(r(0x0000));
    expect(oFma(fp16, 0x0000n, 0xbc00n, 0x8000n, rne)).to.deep.equal(r(0x8000));
    expect(oMul(fp16, 0x8000n, 0x3c00n, rne)).to.deep.equal(r(0x8000));
  });

  it('follows the SoftFloat x86 NaN rules in ieee formats', function () {
    expect(oDiv(fp16, 0n, 0n, rne)).to.deep.equal(r(0xfe00, NV));
    expect(oAdd(fp16, 0x7c01n, 0x3c00n, rne)).to.deep.equal(r(0x7e01, NV)); // sNaN quieted
    expect(oAdd(fp16, 0xfe05n, 0x7c01n, rne)).to.deep.equal(r(0xfe05, NV)); // first NaN, invalid for the sNaN
    expect(oAdd(fp16, 0x7c00n, 0xfc00n, rne)).to.deep.equal(r(0xfe00, NV));
    expect(oFma(fp16, 0x0000n, 0x7c00n, 0x7e00n, rne)).to.deep.equal(r(0xfe00, NV)); // 0·∞ beats a quiet c
    expect(oFma(fp16, 0x3c00n, 0x3c00n, 0x7d00n, rne)).to.deep.equal(r(0x7f00, NV));
    expect(oSqrt(fp16, 0xbc00n, rne)).to.deep.equal(r(0xfe00, NV));
    expect(oSqrt(fp16, 0x8000n, rne)).to.deep.equal(r(0x8000));
    expect(oDiv(fp16, 0x3c00n, 0x8000n, rne)).to.deep.equal(r(0xfc00, DZ));
  });

  it('produces each format family its own NaN, and -0 with invalid where there is no NaN', function () {
    expect(oDiv(e4m3fn, 0n, 0n, rne)).to.deep.equal(r(0xff, NV));
    expect(oDiv(e2m1fn, 0n, 0n, rne)).to.deep.equal(r(0x8, NV));
    expect(oSqrt(e2m3fn, 0x28n, rne)).to.deep.equal(r(0x20, NV));
    expect(oDiv(e4m3fn, 0x38n, 0x80n, rne)).to.deep.equal(r(0xff, DZ)); // 1 / -0 → NaN policy
    expect(oDiv(e2m1fn, 0x2n, 0x0n, rne)).to.deep.equal(r(0x7, DZ)); // saturate
    expect(oAdd(e4m3fn, 0xffn, 0x38n, rne)).to.deep.equal(r(0xff));
  });

  it('converts NaNs and infinities between formats as §3 says', function () {
    expect(oConvert(fp32, fp16, 0x7f800001n, rne)).to.deep.equal(r(0x7e00, NV));
    expect(oConvert(fp32, fp16, 0xffffe000n, rne)).to.deep.equal(r(0xffff));
    expect(oConvert(fp16, fp32, 0x7d01n, rne)).to.deep.equal(r(0x7fe02000, NV));
    expect(oConvert(fp16, e4m3fn, 0xfe00n, rne)).to.deep.equal(r(0xff));
    expect(oConvert(fp16, e4m3fnuz, 0x7e00n, rne)).to.deep.equal(r(0x80));
    expect(oConvert(fp16, e2m1fn, 0x7e00n, rne)).to.deep.equal(r(0x8, NV));
    expect(oConvert(fp16, e4m3fn, 0x7c00n, rne)).to.deep.equal(r(0x7f, NV));
    expect(oConvert(fp16, e2m1fn, 0x7c00n, rne)).to.deep.equal(r(0x7, OF | NX));
    expect(oConvert(fp16, e3m2fn, 0xfc00n, rne)).to.deep.equal(r(0x3f, OF | NX));
    expect(oConvert(e4m3fn, fp16, 0x7en, rne)).to.deep.equal(r(0x5f00));
  });

  it('rounds the exact value of a JavaScript number once', function () {
    expect(num(fp32, 0.1)).to.deep.equal(r(0x3dcccccd, NX));
    expect(num(fp16, 0.1)).to.deep.equal(r(0x2e66, NX));
    expect(num(fp16, 1 + 2 ** -11 + 2 ** -40)).to.deep.equal(r(0x3c01, NX)); // no double rounding
    expect(num(fp16, -0)).to.deep.equal(r(0x8000));
    expect(num(fp16, -Infinity)).to.deep.equal(r(0xfc00));
  });

  it('implements stochastic rounding with the sticky bits below the random bits', function () {
    const x = 1 + 2 ** -12; // f = 1/4 of an fp16 ulp at 1
    expect(num(fp16, x, sr(2, 0))).to.deep.equal(r(0x3c01, NX));
    expect(num(fp16, x, sr(2, 1))).to.deep.equal(r(0x3c00, NX));
    const y = 1 + 2 ** -12 + 2 ** -30; // f·4 = 1 + tiny: moves up for U = 1 too
    expect(num(fp16, y, sr(2, 1))).to.deep.equal(r(0x3c01, NX));
    expect(num(fp16, y, sr(2, 2))).to.deep.equal(r(0x3c00, NX));
    expect(num(fp16, 1.5, sr(8, 0))).to.deep.equal(r(0x3e00)); // exact never moves
  });

  it('rounds ties to odd (rno) and rounds to odd by jamming (rod)', function () {
    expect(num(fp16, 1 + 2 ** -11, ctx('rno'))).to.deep.equal(r(0x3c01, NX));
    expect(num(fp16, 1 + 2 ** -10 + 2 ** -11, ctx('rno'))).to.deep.equal(r(0x3c01, NX));
    expect(num(fp16, 1 + 2 ** -12, ctx('rod'))).to.deep.equal(r(0x3c01, NX));
    expect(num(fp16, 1 + 2 ** -10 + 2 ** -12, ctx('rod'))).to.deep.equal(r(0x3c01, NX));
    expect(num(fp16, -(1 + 2 ** -12), ctx('rod'))).to.deep.equal(r(0xbc01, NX));
  });

  it('rounds square roots by comparing squares', function () {
    expect(oSqrt(fp16, 0x4000n, rne)).to.deep.equal(r(0x3da8, NX)); // sqrt 2 = 1.41421…→ 1.4140625
    expect(oSqrt(fp16, 0x4000n, ctx('rup'))).to.deep.equal(r(0x3da9, NX));
    expect(oSqrt(fp16, 0x4400n, rne)).to.deep.equal(r(0x4000));
    expect(oSqrt(fp16, 0x0001n, rne)).to.deep.equal(r(0x0c00)); // sqrt 2^-24 = 2^-12
  });

  it('converts to integers with invalid on NaN, infinity and out-of-range values', function () {
    expect(oToInt(fp16, 0x4100n, 32, true, 'rne', true)).to.deep.equal(r(2, NX)); // 2.5
    expect(oToInt(fp16, 0x4100n, 32, true, 'rna', false)).to.deep.equal(r(3));
    expect(oToInt(fp16, 0xc100n, 32, true, 'rne', true)).to.deep.equal(r(0xfffffffe, NX));
    expect(oToInt(fp16, 0xc100n, 32, false, 'rne', true)).to.deep.equal(r(0xffffffff, NV));
    expect(oToInt(fp16, 0xb800n, 32, false, 'rne', true)).to.deep.equal(r(0, NX)); // -0.5 → 0 is valid
    expect(oToInt(fp16, 0x5a40n, 8, true, 'rne', true)).to.deep.equal(r(0x80, NV)); // 200 into i8
    expect(oToInt(fp16, 0xd800n, 8, true, 'rne', true)).to.deep.equal(r(0x80)); // -128 fits
    expect(oToInt(fp16, 0x7e00n, 32, true, 'rne', true)).to.deep.equal(r(0x80000000, NV));
    expect(oToInt(fp16, 0xfc00n, 32, false, 'rne', true)).to.deep.equal(r(0xffffffff, NV));
  });

  it('converts integers, overflowing above the f16 range', function () {
    expect(oFromInt(fp16, 2049n, rne)).to.deep.equal(r(0x6800, NX));
    expect(oFromInt(fp16, -65520n, rne)).to.deep.equal(r(0xfc00, OF | NX));
    expect(oFromInt(fp16, 0n, ctx('rdn'))).to.deep.equal(r(0x0000));
  });

  it('compares quietly (eq) or signalling (lt, le), with +0 = -0', function () {
    expect(oCompare(fp16, 'eq', 0x0000n, 0x8000n)).to.deep.equal({ value: true, flags: 0 });
    expect(oCompare(fp16, 'lt', 0x8000n, 0x0000n)).to.deep.equal({ value: false, flags: 0 });
    expect(oCompare(fp16, 'le', 0xfc00n, 0x7bffn)).to.deep.equal({ value: true, flags: 0 });
    expect(oCompare(fp16, 'eq', 0x7e00n, 0x7e00n)).to.deep.equal({ value: false, flags: 0 });
    expect(oCompare(fp16, 'eq', 0x7d00n, 0x3c00n)).to.deep.equal({ value: false, flags: NV });
    expect(oCompare(fp16, 'lt', 0x7e00n, 0x3c00n)).to.deep.equal({ value: false, flags: NV });
  });
});

// -----------------------------------------------------------------------------------------------

describe('the fixed-point oracle (hand-checked)', function () {
  const fx = (tag: [number, number, boolean], quant: OFixed['quant'], overflow: OFixed['overflow'], satBits = 0): OFixed => ({
    width: tag[0], frac: tag[0] - tag[1], signed: tag[2], quant, overflow, satBits,
  });
  const W8I4s: [number, number, boolean] = [8, 4, true];
  const W8I4u: [number, number, boolean] = [8, 4, false];
  const from = (t: OFixed, x: number, srBits?: number, srU?: number): { raw: bigint; flags: number } => {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, x);
    const v = oDecode(fp64, dv.getBigUint64(0));
    const q = typeof v === 'string' ? Q.ZERO : v;
    return oFixedFromRational(t, q.num, q.den, srBits, srU);
  };

  it('rounds the README samples: 1.21875 and 3.71875 tie to even in W8_I4_s', function () {
    expect(from(fx(W8I4s, 'RND_CONV', 'SAT'), 1.21875)).to.deep.equal({ raw: 0x14n, flags: 1 });
    expect(from(fx(W8I4s, 'RND_CONV', 'SAT'), 3.71875)).to.deep.equal({ raw: 0x3cn, flags: 1 });
  });

  it('breaks ties in the direction each RND mode names', function () {
    const tie = 0.03125 * 3; // 1.5 LSB
    const modes: [OFixed['quant'], number, number][] = [
      ['RND', 2, -1], ['RND_ZERO', 1, -1], ['RND_MIN_INF', 1, -2], ['RND_INF', 2, -2], ['RND_CONV', 2, -2],
      ['RND_CONV_ODD', 1, -1], ['TRN', 1, -2], ['TRN_ZERO', 1, -1],
    ];
    for (const [q, up, down] of modes) {
      expect(from(fx(W8I4s, q, 'SAT'), tie).raw, q).to.equal(BigInt.asUintN(8, BigInt(up)));
      expect(from(fx(W8I4s, q, 'SAT'), -tie).raw, q).to.equal(BigInt.asUintN(8, BigInt(down)));
    }
  });

  it('applies each overflow mode to the quantised value', function () {
    expect(from(fx(W8I4s, 'TRN', 'SAT'), 64)).to.deep.equal({ raw: 0x7fn, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'SAT'), -64)).to.deep.equal({ raw: 0x80n, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'SAT_ZERO'), -64)).to.deep.equal({ raw: 0x00n, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'SAT_SYM'), -8)).to.deep.equal({ raw: 0x81n, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'WRAP'), 8)).to.deep.equal({ raw: 0x80n, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'WRAP', 1), 8.5)).to.deep.equal({ raw: 0x08n, flags: 4 });
    expect(from(fx(W8I4u, 'TRN', 'WRAP', 1), -0.0625)).to.deep.equal({ raw: 0xffn, flags: 4 });
    expect(from(fx(W8I4s, 'RND', 'WRAP_SM'), 15.96875)).to.deep.equal({ raw: 0x00n, flags: 5 });
    expect(from(fx(W8I4s, 'TRN', 'WRAP_SM'), 9)).to.deep.equal({ raw: 0x6fn, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'WRAP_SM', 1), 9)).to.deep.equal({ raw: 0x6fn, flags: 4 });
    expect(from(fx(W8I4s, 'TRN', 'SAT'), 7.9375)).to.deep.equal({ raw: 0x7fn, flags: 0 });
  });

  it('rounds stochastically on the whole discarded fraction', function () {
    const t = fx(W8I4s, 'SR', 'SAT');
    expect(from(t, 0.25 * 0.0625, 2, 0).raw).to.equal(1n);
    expect(from(t, 0.25 * 0.0625, 2, 1).raw).to.equal(0n);
    expect(from(t, (0.25 + 2 ** -20) * 0.0625, 2, 1).raw).to.equal(1n);
    expect(from(t, 0.0625, 2, 3)).to.deep.equal({ raw: 1n, flags: 0 });
  });

  it('reads raw patterns back as exact values, frac negative or beyond the width', function () {
    expect(oFixedValue(fx(W8I4s, 'TRN', 'WRAP'), 0xffn)).to.deep.equal({ num: -1n, den: 16n });
    expect(oFixedValue({ width: 4, frac: -3, signed: false, quant: 'TRN', overflow: 'WRAP', satBits: 0 }, 5n)).to.deep.equal({ num: 40n, den: 1n });
    expect(oFixedValue({ width: 4, frac: 10, signed: true, quant: 'TRN', overflow: 'WRAP', satBits: 0 }, 0x8n)).to.deep.equal({ num: -1n, den: 128n });
    expect(oFixedFromRational({ width: 100, frac: 90, signed: true, quant: 'RND_CONV', overflow: 'SAT', satBits: 0 }, 1n, 3n).raw)
      .to.equal((1n << 90n) / 3n);
  });
});

// -----------------------------------------------------------------------------------------------

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODES: OMode[] = ['rne', 'rna', 'rno', 'rtz', 'rup', 'rdn', 'rod', 'sr'];

const EXTRA: Record<string, OFormat> = {
  w8e4_nosub: { expBits: 4, manBits: 3, bias: 7, subnormals: false, specials: 'ieee', overflow: 'inf', signed: true },
  e0m3_int: { expBits: 0, manBits: 3, bias: 0, subnormals: true, specials: 'finite', overflow: 'saturate', signed: true },
  e5m0fn: { expBits: 5, manBits: 0, bias: 15, subnormals: true, specials: 'fn', overflow: 'nan', signed: true },
  e3m2_finite_nosub: { expBits: 3, manBits: 2, bias: 3, subnormals: false, specials: 'finite', overflow: 'saturate', signed: true },
  e4m3_ieee_sat: { expBits: 4, manBits: 3, bias: 9, subnormals: true, specials: 'ieee', overflow: 'saturate', signed: true },
  e4m3fn_inf_policy: { expBits: 4, manBits: 3, bias: 7, subnormals: true, specials: 'fn', overflow: 'inf', signed: true },
  e4m0fn_nosub: { expBits: 4, manBits: 0, bias: 7, subnormals: false, specials: 'fn', overflow: 'nan', signed: true },
  e5m2_unsigned: { expBits: 5, manBits: 2, bias: 15, subnormals: false, specials: 'fn', overflow: 'nan', signed: false },
};

describe('the oracle\'s table search and its arithmetic rounding agree', function () {
  const formats = { ...ORACLE_CATALOG, ...EXTRA };
  for (const [name, f] of Object.entries(formats)) {
    const width = oFormatInfo(f).width;
    if (width > 16) continue;
    it(`rounds the same way by both paths in ${name}, every mode, both tininess rules`, function () {
      const rand = rng(width * 7919 + f.bias);
      // Sample points: finite values of the format, neighbours' midpoints and quarter points,
      // a little off each, below the smallest subnormal, and beyond the largest value.
      const finite: Q.ORational[] = [];
      const step = width <= 8 ? 1 : 263;
      for (let code = 0; code < 2 ** width; code += step) {
        const v = oDecode(f, BigInt(code));
        if (typeof v !== 'string') finite.push(v);
      }
      finite.sort(Q.cmp);
      const { maxFinite } = oFormatInfo(f);
      const xs: Q.ORational[] = [Q.mul(maxFinite, Q.rat(3n, 1n)), Q.mul(maxFinite, Q.rat(17n, 16n)), Q.mul(maxFinite, Q.rat(33n, 32n))];
      for (let i = 0; i + 1 < finite.length; i++) {
        const a = finite[i]!;
        const b = finite[i + 1]!;
        if (Q.sign(a) !== Q.sign(b) && !Q.isZero(a) && !Q.isZero(b)) continue;
        const d = Q.sub(b, a);
        for (const k of [1n, 2n, 3n]) xs.push(Q.add(a, Q.mul(d, Q.rat(k, 4n))));
        xs.push(Q.add(a, Q.mul(d, Q.rat(BigInt(Math.floor(rand() * 1e9)), 1000000000n))));
        xs.push(a);
      }
      for (const x0 of [...xs]) xs.push(Q.neg(x0), Q.mul(x0, Q.rat(1n, 1n << 40n)));
      let checked = 0;
      const nearUnderflow = Q.pow2(oFormatInfo(f).emin + 1);
      for (const x of xs) {
        if (Q.isZero(x)) continue;
        // The tininess rule only matters near the underflow threshold.
        const rules = Q.cmp(Q.abs(x), nearUnderflow) < 0 ? (['after', 'before'] as const) : (['after'] as const);
        for (const mode of MODES) {
          for (const tininess of rules) {
            const c: OCtx = mode === 'sr' ? { mode, tininess, srBits: 3, srU: Math.floor(rand() * 8) } : { mode, tininess };
            const t = oRoundRational(f, x, c, 'table');
            const a = oRoundRational(f, x, c, 'arith');
            if (t.code !== a.code || t.flags !== a.flags) {
              expect.fail(`${name} ${mode}/${tininess} x=${Q.toString(x)}: table ${t.code.toString(16)}/${t.flags}, arith ${a.code.toString(16)}/${a.flags}`);
            }
            checked++;
          }
        }
      }
      expect(checked).to.be.greaterThan(100);
    });
  }

  it('rounds square roots the same way by both paths in fp16 and e4m3fn', function () {
    const rand = rng(12345);
    for (const f of [fp16, e4m3fn, e8m0fnu]) {
      for (let i = 0; i < 300; i++) {
        const x = Q.rat(BigInt(1 + Math.floor(rand() * 2 ** 30)), 1n << BigInt(Math.floor(rand() * 60)));
        for (const mode of MODES) {
          const c: OCtx = mode === 'sr' ? { mode, tininess: 'after', srBits: 5, srU: Math.floor(rand() * 32) } : { mode, tininess: 'after' };
          const t = oRoundSqrtOf(f, x, c, 'table');
          const a = oRoundSqrtOf(f, x, c, 'arith');
          expect(t, `sqrt ${Q.toString(x)} ${mode}`).to.deep.equal(a);
        }
      }
    }
  });

  it('rounds exactly representable values to themselves, without flags, in every catalog format', function () {
    for (const [name, f] of Object.entries(ORACLE_CATALOG)) {
      const width = oFormatInfo(f).width;
      const all = 1n << BigInt(width);
      const count = width <= 8 ? all : 1500n;
      for (let i = 0n; i < count; i++) {
        const code = width <= 8 ? i : (i * 0x9e3779b97f4a7c15n + 12345n) % all;
        const v = oDecode(f, code);
        if (typeof v === 'string') continue;
        for (const mode of MODES) {
          const c: OCtx = mode === 'sr' ? { mode, tininess: 'after', srBits: 1, srU: 0 } : { mode, tininess: 'after' };
          expect(oRoundRational(f, v, c), `${name} ${code.toString(16)} ${mode}`).to.deep.equal({ code, flags: 0 });
        }
      }
    }
  });

  it('converts fp16 to fp32 and back exactly, for every fp16 code that is a number', function () {
    for (let code = 0n; code < 0x10000n; code++) {
      const v = oDecode(fp16, code);
      if (v === 'nan') continue;
      const w = oConvert(fp16, fp32, code, rne);
      expect(w.flags).to.equal(0);
      expect(oConvert(fp32, fp16, w.code, rne)).to.deep.equal({ code, flags: 0 });
    }
  });
});
