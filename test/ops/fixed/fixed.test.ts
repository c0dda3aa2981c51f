/**
 * Unit tests of the fixed-point formats and operations: the documented examples, the non-finite
 * policy, the overflow modes' corner cases (N ≥ 2 follows the library's `overflow_adjust`), and the
 * validation errors, each of which must name its field.
 */

import { expect } from 'chai';
import { exactFromNumber } from '../../../src/formats/exact.js';
import { fixedFormat, formatFixedName, parseFixedFormat, type FixedFormatOptions } from '../../../src/formats/fixed.js';
import { Flag } from '../../../src/flags.js';
import {
  fixedAdd,
  fixedConvert,
  fixedFromExact,
  fixedFromNumber,
  fixedMul,
  fixedQuantizeArray,
  fixedSub,
  fixedToExact,
  fixedToNumber,
} from '../../../src/ops/fixed/index.js';

const P = parseFixedFormat;

describe('fixed formats', function () {
  it('derives the range and constants of s16.8 (ap_fixed<16,8>)', function () {
    const f = fixedFormat({ width: 16, frac: 8, quant: 'RND_CONV', overflow: 'SAT' });
    expect(f.name).to.equal('s16.8:RND_CONV:SAT');
    expect([f.minRaw, f.maxRaw, f.minValue, f.maxValue, f.intBits, f.lsbExp, f.wide]).to.deep.equal([
      -32768, 32767, -128, 127.99609375, 8, -8, false,
    ]);
    expect(Object.isFrozen(f)).to.equal(true);
  });

  it('uses BigInt raw values above 52 bits', function () {
    const f = fixedFormat({ width: 53, frac: 0, signed: false });
    expect(f.wide).to.equal(true);
    expect(f.maxRaw).to.equal((1n << 53n) - 1n);
    expect(fixedFormat({ width: 52, frac: 0 }).maxRaw).to.equal(2 ** 51 - 1);
  });

  it('defaults to signed, TRN, WRAP and no saturation bits, as ap_fixed', function () {
    const f = fixedFormat({ width: 8, frac: 4 });
    expect([f.signed, f.quant, f.overflow, f.satBits, f.name]).to.deep.equal([true, 'TRN', 'WRAP', 0, 's8.4']);
  });

  it('reads ap_fixed, ap_ufixed, ac_fixed and the general form', function () {
    expect(P('ap_fixed<16,8,AP_RND_CONV,AP_SAT>').name).to.equal('s16.8:RND_CONV:SAT');
    expect(P('ap_ufixed<10,-2>').frac).to.equal(12);
    expect(P('ap_fixed<8, 4, AP_RND, AP_WRAP, 1>').satBits).to.equal(1);
    expect(P('ap_fixed<8,4,RND,SAT_SYM>').overflow).to.equal('SAT_SYM');
    const ac = P('ac_fixed<8,4,false,AC_RND,AC_SAT_SYM>');
    expect([ac.signed, ac.quant, ac.overflow]).to.deep.equal([false, 'RND', 'SAT_SYM']);
    expect(P('ac_fixed<8,4>').name).to.equal('s8.4');
    expect(P('ac_fixed<8,4,true,AC_RND_CONV_ODD>').quant).to.equal('RND_CONV_ODD');
    expect(P('s16.8:RND_CONV:SAT').quant).to.equal('RND_CONV');
    expect(P('s4.-4').maxValue).to.equal(112);
    expect(P('u8.10::SAT').name).to.equal('u8.10:TRN:SAT');
    expect(P('s8.4:sr:wrap_sm:2').name).to.equal('s8.4:SR:WRAP_SM:2');
  });

  it('prints the general, ap and ac names', function () {
    const f = P('s16.8:RND_CONV:SAT');
    expect(formatFixedName(f, 'ap')).to.equal('ap_fixed<16,8,AP_RND_CONV,AP_SAT>');
    expect(formatFixedName(f, 'ac')).to.equal('ac_fixed<16,8,true,AC_RND_CONV,AC_SAT>');
    expect(formatFixedName(P('u10.-2'))).to.equal('u10.-2');
    expect(formatFixedName(P('u10.-2'), 'ap')).to.equal('ap_ufixed<10,12>');
    expect(formatFixedName(P('u10.-2'), 'ac')).to.equal('ac_fixed<10,12,false>');
    expect(formatFixedName(P('s8.4:TRN:WRAP:1'), 'ap')).to.equal('ap_fixed<8,4,AP_TRN,AP_WRAP,1>');
    expect(fixedFormat({ width: 8, frac: 4, name: 'q4.4' }).name).to.equal('q4.4');
  });
});

describe('fixed formats: every validation error names its field', function () {
  const base: FixedFormatOptions = { width: 8, frac: 4 };
  const cases: [string, Partial<Record<keyof FixedFormatOptions, unknown>>, RegExp][] = [
    ['width', { width: 0 }, /^width: must be an integer in 1\.\.1024, got 0/],
    ['width', { width: 1025 }, /^width: .*1\.\.1024, got 1025/],
    ['width', { width: 8.5 }, /^width: /],
    ['width', { width: '8' }, /^width: .*got "8"/],
    ['frac', { frac: 4097 }, /^frac: must be an integer in -4096\.\.4096, got 4097/],
    ['frac', { frac: -4097 }, /^frac: /],
    ['frac', { frac: NaN }, /^frac: /],
    ['signed', { signed: 'yes' }, /^signed: must be true or false/],
    ['quant', { quant: 'ROUND' }, /^quant: must be one of TRN, TRN_ZERO, RND, .*SR, got "ROUND"/],
    ['quant', { quant: 'AP_RND' }, /^quant: /],
    ['overflow', { overflow: 'CLAMP' }, /^overflow: must be one of SAT, SAT_ZERO, SAT_SYM, WRAP, WRAP_SM, got "CLAMP"/],
    ['overflow', { overflow: 'WRAP_SM', signed: false }, /^overflow: WRAP_SM needs a signed format/],
    ['satBits', { satBits: -1 }, /^satBits: must be an integer in 0\.\.8, got -1/],
    ['satBits', { satBits: 9 }, /^satBits: .*0\.\.8/],
    ['name', { name: '' }, /^name: must be a non-empty string/],
  ];
  const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  for (const [field, patch, re] of cases) {
    const extra = Object.keys(patch).length > 1 ? ` (with ${JSON.stringify(patch)})` : '';
    it(`rejects ${field} = ${show(patch[field as keyof FixedFormatOptions])}${extra} and names the field`, function () {
      expect(() => fixedFormat({ ...base, ...patch } as FixedFormatOptions)).to.throw(RangeError, re);
    });
  }

  it('rejects a missing options object', function () {
    expect(() => fixedFormat(undefined as unknown as FixedFormatOptions)).to.throw(RangeError, /options object/);
  });

  const names: [string, RegExp][] = [
    ['ap_fixed<8>', /^ap_fixed: expected at least <W,I>/],
    ['ap_fixed<8,4,AP_RND_CONV_ODD>', /^quant: ap_fixed accepts AP_TRN, .*AP_RND_CONV; got "AP_RND_CONV_ODD"/],
    ['ap_fixed<8,4,AP_SR>', /^quant: /],
    ['ap_fixed<8,4,AP_RND,AP_CLAMP>', /^overflow: ap_fixed accepts AP_SAT, /],
    ['ap_ufixed<8,4,AP_RND,AP_WRAP_SM>', /^overflow: WRAP_SM needs a signed format/],
    ['ap_fixed<8,4,AP_RND,AP_WRAP,9>', /^satBits: must be an integer in 0\.\.8, got 9/],
    ['ap_fixed<8,4,AP_RND,AP_WRAP,1,2>', /^ap_fixed: expected at most <W,I,Q,O,N>/],
    ['ap_fixed<x,4>', /^width: expected an integer, got "x"/],
    ['ap_fixed<2000,4>', /^width: must be an integer in 1\.\.1024, got 2000/],
    ['ap_fixed<8,-5000>', /^frac: must be an integer in -4096\.\.4096, got 5008/],
    ['ac_fixed<8,4,maybe>', /^signed: ac_fixed's S must be true or false, got "maybe"/],
    ['ac_fixed<8,4,true,AC_RND,AC_WRAP_SM>', /^overflow: ac_fixed accepts AC_SAT, AC_SAT_ZERO, AC_SAT_SYM, AC_WRAP; got "AC_WRAP_SM"/],
    ['ac_fixed<8,4,true,AC_SR>', /^quant: ac_fixed accepts /],
    ['q8.8', /^fixed format name: cannot read "q8.8"; expected ap_fixed<W,I,Q,O,N>/],
    ['s8.4:FOO', /^quant: the general form accepts TRN, .*SR; got "FOO"/],
    ['s8.4:RND:BAR', /^overflow: the general form accepts /],
    ['s8.4:RND:SAT:x', /^satBits: expected an integer, got "x"/],
    ['s8.4:RND:WRAP:9', /^satBits: must be an integer in 0\.\.8/],
    ['u8.4:RND:WRAP_SM', /^overflow: WRAP_SM needs a signed format/],
    ['s0.0', /^width: must be an integer in 1\.\.1024, got 0/],
    ['s8.4:RND:SAT:1:2', /^fixed format name: cannot read/],
  ];
  for (const [text, re] of names) {
    it(`rejects the name ${text} and says why`, function () {
      expect(() => P(text)).to.throw(RangeError, re);
    });
  }

  it('refuses to print a mode the C++ library does not have', function () {
    expect(() => formatFixedName(P('s8.4:SR'), 'ap')).to.throw(RangeError, /^quant: ap_fixed has no SR mode/);
    expect(() => formatFixedName(P('s8.4:RND_CONV_ODD'), 'ap')).to.throw(RangeError, /^quant: /);
    expect(() => formatFixedName(P('s8.4:RND:WRAP_SM'), 'ac')).to.throw(RangeError, /^overflow: ac_fixed has no WRAP_SM/);
    expect(() => formatFixedName(P('s8.4:RND:WRAP:1'), 'ac')).to.throw(RangeError, /^satBits: ac_fixed has no saturation bits/);
  });

  it('rejects arrays it cannot fill', function () {
    const src = new Float64Array(4);
    expect(() => fixedQuantizeArray(P('s60.0'), src, new Float64Array(4))).to.throw(RangeError, /^spec: s60\.0 is 60 bits wide/);
    expect(() => fixedQuantizeArray(P('s16.8'), src, new Int8Array(4))).to.throw(RangeError, /^dst: a Int8Array cannot hold/);
    expect(() => fixedQuantizeArray(P('s8.4'), src, new Uint8Array(4))).to.throw(RangeError, /^dst: a Uint8Array cannot hold/);
    expect(() => fixedQuantizeArray(P('s8.4'), src, new Int8Array(3))).to.throw(RangeError, /^dst: has 3 elements, fewer than src's 4/);
  });

  it('rejects a raw value that is not an integer', function () {
    expect(() => fixedToExact(P('s8.4'), 1.5)).to.throw(RangeError, /^raw: must be an integer, got 1\.5/);
  });
});

describe('fixed operations: documented examples', function () {
  it('fixedFromExact returns the documented values', function () {
    const f = fixedFormat({ width: 8, frac: 4, quant: 'RND_CONV', overflow: 'SAT' });
    expect(fixedFromExact(f, exactFromNumber(1.21875))).to.deep.equal({ raw: 20, flags: Flag.inexact });
    expect(fixedFromExact(f, exactFromNumber(100))).to.deep.equal({ raw: 127, flags: Flag.overflow });
    expect(fixedFromExact(f, exactFromNumber(-Infinity))).to.deep.equal({ raw: -128, flags: Flag.overflow });
    expect(fixedFromExact(f, exactFromNumber(NaN))).to.deep.equal({ raw: 0, flags: Flag.invalid });
  });

  it('fixedFromNumber returns the documented values', function () {
    const f = P('s16.8:RND_CONV:SAT');
    expect(fixedFromNumber(f, 1.00390625)).to.deep.equal({ raw: 257, flags: 0 });
    expect(fixedFromNumber(f, 0.005859375)).to.deep.equal({ raw: 2, flags: Flag.inexact });
    expect(fixedFromNumber(f, -1e9)).to.deep.equal({ raw: -32768, flags: Flag.overflow });
    expect(fixedFromNumber(P('ap_fixed<8,4,AP_RND,AP_WRAP>'), 8.5)).to.deep.equal({ raw: -120, flags: Flag.overflow });
  });

  it('fixedToExact and fixedToNumber return the documented values, rounding once beyond binary64', function () {
    expect(fixedToExact(P('s16.8'), -384)).to.deep.equal({ kind: 'finite', sign: 1, sig: 3n, exp: -1 });
    expect(fixedToExact(P('s16.8'), 0)).to.deep.equal({ kind: 'zero', sign: 0 });
    expect(fixedToNumber(P('s16.8'), -384)).to.equal(-1.5);
    expect(fixedToNumber(P('u10.-2'), 1023)).to.equal(4092);
    expect(fixedToNumber(P('s80.0'), (1n << 79n) - 1n)).to.equal(2 ** 79);
    expect(fixedToNumber(P('s8.1100'), 1)).to.equal(0);
    expect(fixedToNumber(P('s8.-1100'), 1)).to.equal(Infinity);
    expect(fixedToNumber(P('s8.1074'), -1)).to.equal(-(2 ** -1074));
  });

  it('fixedAdd, fixedSub, fixedMul and fixedConvert return the documented values', function () {
    const s8 = P('ap_fixed<8,4>');
    expect(fixedAdd(s8, 100, s8, 50, P('ap_fixed<8,4,AP_TRN,AP_SAT>'))).to.deep.equal({ raw: 127, flags: Flag.overflow });
    expect(fixedAdd(s8, 100, s8, 50, s8)).to.deep.equal({ raw: -106, flags: Flag.overflow });
    expect(fixedAdd(s8, 3, s8, 0, P('ap_fixed<6,4,AP_RND_CONV>'))).to.deep.equal({ raw: 1, flags: Flag.inexact });
    const u8 = P('ap_ufixed<8,4>');
    expect(fixedSub(u8, 16, u8, 32, u8)).to.deep.equal({ raw: 240, flags: Flag.overflow });
    expect(fixedSub(u8, 16, u8, 32, P('ap_ufixed<8,4,AP_TRN,AP_SAT>'))).to.deep.equal({ raw: 0, flags: Flag.overflow });
    const sat = P('ap_fixed<8,4,AP_RND,AP_SAT>');
    expect(fixedMul(s8, -128, s8, -128, sat)).to.deep.equal({ raw: 127, flags: Flag.overflow });
    expect(fixedMul(s8, 24, s8, 24, sat)).to.deep.equal({ raw: 36, flags: 0 });
    expect(fixedMul(s8, 3, s8, 8, sat)).to.deep.equal({ raw: 2, flags: Flag.inexact });
    const acc = P('ap_fixed<32,16>');
    expect(fixedConvert(acc, 0x3b800, P('ap_fixed<8,4,AP_RND_CONV,AP_SAT>'))).to.deep.equal({ raw: 60, flags: Flag.inexact });
    expect(fixedConvert(acc, -65536, P('ap_ufixed<8,4,AP_TRN,AP_SAT>'))).to.deep.equal({ raw: 0, flags: Flag.overflow });
  });

  it('fixedQuantizeArray writes the documented raw values and returns the ORed flags', function () {
    const dst = new Int16Array(3);
    const flags = fixedQuantizeArray(P('s16.8:RND_CONV:SAT'), Float64Array.of(0.5, 1.001953125, 1e6), dst);
    expect(flags).to.equal(Flag.inexact | Flag.overflow);
    expect([...dst]).to.deep.equal([128, 256, 32767]);
  });
});

describe('fixed operations: corner cases', function () {
  it('returns +0, never -0, for -0 and for negatives that round to zero', function () {
    const f = P('s8.4:RND');
    expect(Object.is(fixedFromNumber(f, -0).raw, 0)).to.equal(true);
    expect(Object.is(fixedFromNumber(f, -0.01).raw, 0)).to.equal(true);
    expect(Object.is(fixedFromNumber(P('s8.4:TRN_ZERO'), -0.01).raw, 0)).to.equal(true);
  });

  it('maps ±∞ to the overflow result of a value beyond every range with zero low bits', function () {
    const inf = (spec: string, sign: number) => fixedFromNumber(P(spec), sign * Infinity);
    expect(inf('s8.4:TRN:SAT', 1)).to.deep.equal({ raw: 127, flags: Flag.overflow });
    expect(inf('s8.4:TRN:SAT_SYM', -1)).to.deep.equal({ raw: -127, flags: Flag.overflow });
    expect(inf('s8.4:TRN:SAT_ZERO', -1)).to.deep.equal({ raw: 0, flags: Flag.overflow });
    expect(inf('s8.4', 1)).to.deep.equal({ raw: 0, flags: Flag.overflow });
    expect(inf('s8.4:TRN:WRAP:1', -1)).to.deep.equal({ raw: -128, flags: Flag.overflow });
    expect(inf('u8.4:TRN:WRAP:1', -1)).to.deep.equal({ raw: 128, flags: Flag.overflow });
    expect(inf('s80.4:TRN:SAT', 1)).to.deep.equal({ raw: (1n << 79n) - 1n, flags: Flag.overflow });
    // A format whose range exceeds binary64's still saturates: ∞ is beyond every range.
    expect(inf('u8.-2000:TRN:SAT', 1)).to.deep.equal({ raw: 255, flags: Flag.overflow });
  });

  it('gives raw 0 and invalid for NaN, in every overflow mode', function () {
    for (const o of ['SAT', 'SAT_ZERO', 'SAT_SYM', 'WRAP', 'WRAP_SM']) {
      expect(fixedFromNumber(P(`s8.4:TRN:${o}:1`), NaN)).to.deep.equal({ raw: 0, flags: Flag.invalid });
    }
    expect(fixedFromNumber(P('s64.4'), NaN)).to.deep.equal({ raw: 0n, flags: Flag.invalid });
  });

  it('SAT_SYM maps minRaw itself to -maxRaw, flagging overflow, but keeps it in a 1-bit format', function () {
    expect(fixedFromNumber(P('s8.4:TRN:SAT_SYM'), -8)).to.deep.equal({ raw: -127, flags: Flag.overflow });
    expect(fixedFromNumber(P('s8.4:TRN:SAT_SYM'), -7.9375)).to.deep.equal({ raw: -127, flags: 0 });
    expect(fixedFromNumber(P('u8.4:TRN:SAT_SYM'), -1)).to.deep.equal({ raw: 0, flags: Flag.overflow });
    expect(fixedFromNumber(P('s1.0:TRN:SAT_SYM'), -1)).to.deep.equal({ raw: -1, flags: 0 });
    expect(fixedFromNumber(P('s1.0:TRN:SAT_SYM'), -5)).to.deep.equal({ raw: -1, flags: Flag.overflow });
  });

  it('WRAP_SM with N = 0 reads the unrounded source: 15.96875 with RND into s8.4 gives 0, not -1', function () {
    // 7.96875 = 127.5 lsb rounds to 128 = 1000_0000; bit 8 of floor = 127 is 0 ≠ msb 1: invert → 0111_1111.
    expect(fixedFromNumber(P('ap_fixed<8,4,AP_RND,AP_WRAP_SM>'), 7.96875)).to.deep.equal({ raw: 127, flags: Flag.inexact | Flag.overflow });
    expect(fixedFromNumber(P('ap_fixed<8,4,AP_RND,AP_WRAP_SM>'), 15.96875).raw).to.equal(0);
  });

  it('WRAP with N ≥ 2 copies the top N bits of maxRaw or minRaw (the library, not "all sign bits")', function () {
    // 200 → 1100_1000: positive, top bits become 01 → 0100_1000 = 72.
    expect(fixedFromNumber(P('s8.0:TRN:WRAP:2'), 200).raw).to.equal(72);
    // -200 → 0011_1000: negative, top bits become 10 → 1011_1000 = -72.
    expect(fixedFromNumber(P('s8.0:TRN:WRAP:2'), -200).raw).to.equal(-72);
    // Unsigned: top N bits become ones whatever the sign: -1 → 1111_1111, 300 → 0010_1100 → 1110_1100.
    expect(fixedFromNumber(P('u8.0:TRN:WRAP:3'), -1).raw).to.equal(255);
    expect(fixedFromNumber(P('u8.0:TRN:WRAP:3'), 300).raw).to.equal(0xec);
    // N = W saturates.
    expect(fixedFromNumber(P('s8.0:TRN:WRAP:8'), 1000).raw).to.equal(127);
    expect(fixedFromNumber(P('s8.0:TRN:WRAP:8'), -1000).raw).to.equal(-128);
  });

  it('WRAP_SM with N ≥ 2 inverts when bit W-N equals the source sign, then saturates N bits (the library)', function () {
    // 200 → 1100_1000, bit 6 = 1 ≠ sign 0: no inversion; top 01 → 0100_1000 = 72.
    expect(fixedFromNumber(P('s8.0:TRN:WRAP_SM:2'), 200).raw).to.equal(72);
    // 300 → 0010_1100, bit 6 = 0 = sign 0: invert → 1101_0011; top 01 → 0101_0011 = 83.
    expect(fixedFromNumber(P('s8.0:TRN:WRAP_SM:2'), 300).raw).to.equal(83);
    // -300 → 1101_0100, bit 6 = 1 = sign 1: invert → 0010_1011; top 10 → 1010_1011 = -85.
    expect(fixedFromNumber(P('s8.0:TRN:WRAP_SM:2'), -300).raw).to.equal(-85);
  });

  it('keeps exact sums of 1024-bit operands', function () {
    const w = P('s1024.0');
    const max = w.maxRaw as bigint;
    expect(fixedAdd(w, max, w, 1n, w)).to.deep.equal({ raw: -(1n << 1023n), flags: Flag.overflow });
    expect(fixedSub(w, -max, w, 1n, w)).to.deep.equal({ raw: -(1n << 1023n), flags: 0 });
    expect(fixedMul(w, max, w, max, P('s1024.0:TRN:SAT'))).to.deep.equal({ raw: max, flags: Flag.overflow });
  });

  it('quantises sources far outside the format in both directions', function () {
    // 1e-300 · 2^4096 is an integer far beyond 8 bits with zero low bits.
    expect(fixedFromNumber(P('s8.4096:RND'), 1e-300)).to.deep.equal({ raw: 0, flags: Flag.overflow });
    expect(fixedFromNumber(P('s8.4096:RND:SAT'), -1e-300)).to.deep.equal({ raw: -128, flags: Flag.overflow });
    // 1e300 · 2^-4096 is far below half an lsb.
    expect(fixedFromNumber(P('s8.-4096:RND:SAT'), 1e300)).to.deep.equal({ raw: 0, flags: Flag.inexact });
    expect(fixedFromNumber(P('s8.-4096:TRN:SAT'), -1e300)).to.deep.equal({ raw: -1, flags: Flag.inexact });
    expect(fixedFromNumber(P('s8.-4096:TRN_ZERO:SAT'), -1e300)).to.deep.equal({ raw: 0, flags: Flag.inexact });
    expect(fixedFromNumber(P('s8.4:TRN'), -(2 ** -1074))).to.deep.equal({ raw: -1, flags: Flag.inexact });
  });
});
