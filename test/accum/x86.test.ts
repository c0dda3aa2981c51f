/**
 * The x86 dot-product presets (issue 3): hand-checked lanes from Intel's pseudo-code, then a slow
 * reference written here from the pseudo-code alone (BigInt integers; exact BigInt rationals and our own
 * rounding to fp32 for VDPBF16PS: it imports nothing from src/) against the presets on seeded random
 * lanes, bit for bit, statistics included. There is no AVX512_BF16 / VNNI hardware on the build
 * machine: see docs/presets/x86.md for what that leaves unchecked.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import {
  X86_PRESETS,
  x86Vdpbf16ps,
  x86Vpdpbusd,
  x86Vpdpbusds,
  x86Vpdpwssd,
  x86Vpdpwssds,
} from '../../src/accum/presets/x86.js';
import type { DotResult, DotUnit, MacStats } from '../../src/accum/types.js';
import { LEVEL } from '../support/bridge.js';

const RUNS = LEVEL === 'full' ? 100000 : 3000;

const hex = (x: number | bigint): string => '0x' + BigInt(x).toString(16).padStart(8, '0');

function dot(u: DotUnit, a: number[], b: number[], c: number): { code: string; flags: number; stats: MacStats } {
  const r: DotResult = u.dot(a, b, c);
  return { code: hex(r.code), flags: r.flags, stats: r.stats };
}

function stats(o: Partial<MacStats>): MacStats {
  return { macs: 0, overflows: 0, saturations: 0, inexact: 0, swamped: 0, ...o };
}

// bf16 codes used below (value in comments).
const ONE = 0x3f80; // 1
const NEG_ONE = 0xbf80; // -1
const HALF = 0x3f00; // 0.5
const INF = 0x7f80;
const NEG_INF = 0xff80;
const MAX = 0x7f7f; // (2 - 2^-7)·2^127

describe('x86 presets: metadata and arguments', function () {
  it('lists the five lanes with K = 2 (bf16, s16) or 4 (u8×s8), a description and a source each', function () {
    expect(X86_PRESETS.map((u) => [u.name, u.k])).to.deep.equal([
      ['x86-vdpbf16ps', 2],
      ['x86-vpdpbusd', 4],
      ['x86-vpdpbusds', 4],
      ['x86-vpdpwssd', 2],
      ['x86-vpdpwssds', 2],
    ]);
    for (const u of X86_PRESETS) {
      expect(u.description.length, u.name).to.be.greaterThan(20);
      expect(u.source, u.name).to.include(u.name.slice(4).toUpperCase());
      expect(u.source, u.name).to.include("Software Developer's Manual");
    }
    const intOf = (s: unknown) => {
      const t = s as { kind: string; width: number; signed: boolean };
      return `${t.kind}:${t.signed ? 's' : 'u'}${t.width}`;
    };
    const vnni = [x86Vpdpbusd.a, x86Vpdpbusd.b, x86Vpdpbusd.c, x86Vpdpbusd.out];
    expect(vnni.map(intOf)).to.deep.equal(['int:u8', 'int:s8', 'int:s32', 'int:s32']);
    expect([x86Vpdpwssds.a, x86Vpdpwssds.b, x86Vpdpwssds.c].map(intOf)).to.deep.equal(['int:s16', 'int:s16', 'int:s32']);
    // The bf16 lane reads its inputs with DAZ and writes with FTZ: formats without subnormals.
    const bf = [x86Vdpbf16ps.a.name, x86Vdpbf16ps.b.name, x86Vdpbf16ps.c.name, x86Vdpbf16ps.out.name];
    expect(bf).to.deep.equal(['e8m7[nosub]', 'e8m7[nosub]', 'e8m23[nosub]', 'e8m23[nosub]']);
  });

  it('rejects a lane of the wrong length, naming the argument', function () {
    expect(() => x86Vdpbf16ps.dot([ONE], [ONE], 0)).to.throw(RangeError, /x86-vdpbf16ps: a: .*exactly 2/);
    expect(() => x86Vpdpbusd.dot([1, 2, 3, 4], [1, 2, 3], 0)).to.throw(RangeError, /x86-vpdpbusd: b: .*exactly 4/);
  });

  it('rejects codes outside the bit patterns of their width, and accepts BigInt codes', function () {
    expect(() => x86Vpdpbusd.dot([1, 2, 3, 256], [1, 2, 3, 4], 0)).to.throw(RangeError, /a\[3\]: must be an integer in 0\.\.0xff/);
    expect(() => x86Vpdpbusd.dot([1, 2, 3, 4], [-1, 2, 3, 4], 0)).to.throw(RangeError, /b\[0\]: .*-1 is 0xff\), got -1/);
    expect(() => x86Vpdpwssd.dot([1, 2], [1, 2], 2 ** 32)).to.throw(RangeError, /c: must be an integer in 0\.\.0xffffffff/);
    expect(() => x86Vdpbf16ps.dot([ONE, 0.5], [ONE, ONE], 0)).to.throw(RangeError, /a\[1\]: .* 0\.\.0xffff, the bf16 bit pattern/);
    expect(dot(x86Vpdpwssd, [1, 2], [3, 4], 5).code).to.equal('0x00000010');
    expect(hex(x86Vpdpwssd.dot([1n, 2n], [3n, 4n], 0xffffffffn).code)).to.equal('0x0000000a');
  });
});

describe('VDPBF16PS: hand-checked lanes from the pseudo-code', function () {
  const u = x86Vdpbf16ps;

  it('accumulates both pairs: 0.5 + 2·4 + 1·3 = 11.5, exactly, no flags', function () {
    expect(dot(u, [ONE, 0x4000], [0x4040, 0x4080], 0x3f000000)).to.deep.equal({
      code: '0x41380000',
      flags: 0,
      stats: stats({ macs: 2 }),
    });
  });

  it('adds the high pair (a[1]·b[1]) first: 2^24 + 1 is swamped, then -2^24 cancels, giving 0 where the exact sum is 1', function () {
    expect(dot(u, [0xcb80, ONE], [ONE, ONE], 0x4b800000)).to.deep.equal({
      code: '0x00000000',
      flags: 0,
      stats: stats({ macs: 2, inexact: 1, swamped: 1 }),
    });
    // The same pairs the other way round: the cancellation comes first and the 1 survives.
    expect(dot(u, [ONE, 0xcb80], [ONE, ONE], 0x4b800000).code).to.equal('0x3f800000');
  });

  it('forms each product exactly inside an FMA: 2^64·2^64 - maxFloat = 2^104, not ∞', function () {
    expect(dot(u, [0, 0x5f80], [0, 0x5f80], 0xff7fffff).code).to.equal('0x73800000');
  });

  it('reads bf16 denormal inputs as zero (DAZ): 2^-133 · maxBf16 + 1 = 1 exactly', function () {
    expect(dot(u, [0x0001, 0], [MAX, 0], 0x3f800000)).to.deep.equal({ code: '0x3f800000', flags: 0, stats: stats({ macs: 2 }) });
    // And a denormal times ∞ is 0·∞: the default NaN.
    expect(dot(u, [0, 0x0001], [0, INF], 0).code).to.equal('0xffc00000');
  });

  it('reads a denormal accumulator as a zero of its sign (DAZ)', function () {
    // 0x007fffff + 2^-126 would be 0x00ffffff; with DAZ it is 0 + 2^-126.
    expect(dot(u, [0x0080, 0], [ONE, 0], 0x007fffff).code).to.equal('0x00800000');
    // -denormal reads as -0; -0 + (+0·+0) is +0 in round-to-nearest.
    expect(dot(u, [0, 0], [0, 0], 0x807fffff).code).to.equal('0x00000000');
    // -0 stays -0 only if both products are -0 too.
    expect(dot(u, [0, 0], [0x8000, 0x8000], 0x807fffff).code).to.equal('0x80000000');
  });

  it('flushes a denormal result to a zero with the sign of the true result (FTZ)', function () {
    // 2^-127 is flushed: inexact, and the product left no trace in the accumulator (swamped).
    expect(dot(u, [0x0080, 0], [HALF, 0], 0)).to.deep.equal({
      code: '0x00000000',
      flags: 0,
      stats: stats({ macs: 2, inexact: 1, swamped: 1 }),
    });
    expect(dot(u, [0x8080, 0], [HALF, 0], 0).code).to.equal('0x80000000');
  });

  it('decides FTZ on the result rounded with an unbounded exponent (x86 tininess after rounding)', function () {
    // 2^-126 - 0.75·2^-150 rounds (24 bits, unbounded exponent) to 2^-126 - 2^-150: tiny, flushed to +0.
    expect(dot(u, [0x99c0, 0], [0x1a00, 0], 0x00800000).code).to.equal('0x00000000');
    // 2^-126 - 0.25·2^-150 rounds to 2^-126: not tiny, kept (inexact, and the addend is swamped).
    expect(dot(u, [0x9980, 0], [0x1980, 0], 0x00800000)).to.deep.equal({
      code: '0x00800000',
      flags: 0,
      stats: stats({ macs: 2, inexact: 1, swamped: 1 }),
    });
  });

  it('propagates NaNs in the order of the SDM table: src1 low, src2 low, src1 high, src2 high, srcdest', function () {
    const a = [0x7fc1, 0x7fc3];
    const b = [0xffc2, 0xffc4];
    const c = 0x7fc00005;
    expect(dot(u, a, b, c).code).to.equal('0x7fc10000');
    expect(dot(u, [ONE, a[1]!], b, c).code).to.equal('0xffc20000');
    expect(dot(u, [ONE, a[1]!], [ONE, b[1]!], c).code).to.equal('0x7fc30000');
    expect(dot(u, [ONE, ONE], [ONE, b[1]!], c).code).to.equal('0xffc40000');
    expect(dot(u, [ONE, ONE], [ONE, ONE], c).code).to.equal('0x7fc00005');
  });

  it('quiets signalling NaNs, keeping sign and payload, and reports no flag', function () {
    expect(dot(u, [0x7f81, ONE], [ONE, ONE], 0)).to.deep.equal({ code: '0x7fc10000', flags: 0, stats: stats({ macs: 2 }) });
    expect(dot(u, [ONE, ONE], [ONE, ONE], 0xff800001).code).to.equal('0xffc00001');
  });

  it('lets a NaN accumulator win over an invalid 0·∞ (table row 5), else 0·∞ and ∞-∞ give the default NaN', function () {
    expect(dot(u, [ONE, 0], [ONE, INF], 0x7fc12345).code).to.equal('0x7fc12345');
    expect(dot(u, [ONE, 0], [ONE, INF], 0x3f800000).code).to.equal('0xffc00000');
    expect(dot(u, [NEG_INF, INF], [ONE, ONE], 0).code).to.equal('0xffc00000');
  });

  it('carries infinities, and overflows to ∞ in round-to-nearest', function () {
    expect(dot(u, [ONE, INF], [ONE, ONE], 0x3f800000)).to.deep.equal({ code: '0x7f800000', flags: 0, stats: stats({ macs: 2 }) });
    expect(dot(u, [ONE, ONE], [NEG_ONE, ONE], 0xff800000).code).to.equal('0xff800000');
    expect(dot(u, [0, MAX], [0, MAX], 0)).to.deep.equal({
      code: '0x7f800000',
      flags: 0,
      stats: stats({ macs: 2, overflows: 1, inexact: 1 }),
    });
  });
});

describe('VNNI: hand-checked lanes from the pseudo-code', function () {
  it('VPDPBUSD reads a as unsigned and b as signed bytes: 255·-128 four times is -130560', function () {
    expect(dot(x86Vpdpbusd, [255, 255, 255, 255], [0x80, 0x80, 0x80, 0x80], 0)).to.deep.equal({
      code: '0xfffe0200',
      flags: 0,
      stats: stats({ macs: 4 }),
    });
    expect(dot(x86Vpdpbusd, [0xff, 0, 0, 0], [0xff, 0, 0, 0], 0).code).to.equal('0xffffff01'); // 255·-1
    expect(dot(x86Vpdpbusd, [0x80, 0, 0, 0], [0x80, 0, 0, 0], 0).code).to.equal('0xffffc000'); // 128·-128
    expect(dot(x86Vpdpbusd, [1, 2, 3, 4], [5, 6, 7, 8], 0xfffffff6).code).to.equal('0x0000003c'); // -10 + 70
  });

  it('VPDPBUSD wraps modulo 2^32 and counts the wrap as an overflow', function () {
    expect(dot(x86Vpdpbusd, [255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7fffffff)).to.deep.equal({
      code: '0x8001fa03',
      flags: 0,
      stats: stats({ macs: 4, overflows: 1 }),
    });
    expect(dot(x86Vpdpbusd, [255, 255, 255, 255], [0x80, 0x80, 0x80, 0x80], 0x80000000).code).to.equal('0x7ffe0200');
  });

  it('VPDPBUSDS saturates the full-precision sum at 2^31-1 and -2^31', function () {
    expect(dot(x86Vpdpbusds, [255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7fffffff)).to.deep.equal({
      code: '0x7fffffff',
      flags: 0,
      stats: stats({ macs: 4, overflows: 1, saturations: 1 }),
    });
    expect(dot(x86Vpdpbusds, [255, 255, 255, 255], [0x80, 0x80, 0x80, 0x80], 0x80000000).code).to.equal('0x80000000');
    // Landing exactly on 2^31-1 is not a saturation; one more is.
    expect(dot(x86Vpdpbusds, [255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7ffe05fb).stats.saturations).to.equal(0);
    expect(dot(x86Vpdpbusds, [255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7ffe05fb).code).to.equal('0x7fffffff');
    expect(dot(x86Vpdpbusds, [255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7ffe05fc).stats.saturations).to.equal(1);
  });

  it('VPDPBUSDS saturates once, at the end: 2^31-1 + 32385 - 32640 is 2^31-256, not clipped on the way', function () {
    expect(dot(x86Vpdpbusds, [255, 255, 0, 0], [0x7f, 0x80, 0, 0], 0x7fffffff)).to.deep.equal({
      code: '0x7fffff00',
      flags: 0,
      stats: stats({ macs: 4 }),
    });
  });

  it('VPDPWSSD: (-2^15)·(-2^15) twice is 2^31, which wraps to 0x80000000', function () {
    expect(dot(x86Vpdpwssd, [0x8000, 0x8000], [0x8000, 0x8000], 0)).to.deep.equal({
      code: '0x80000000',
      flags: 0,
      stats: stats({ macs: 2, overflows: 1 }),
    });
    expect(dot(x86Vpdpwssd, [0x8000, 0x8000], [0x8000, 0x8000], 0xffffffff).stats.overflows).to.equal(0);
    expect(dot(x86Vpdpwssd, [0x7fff, 0xffff], [0x7fff, 0x0002], 1).code).to.equal('0x3fff0000'); // 1 + 32767² - 2
  });

  it('VPDPWSSDS saturates c + p1 + p2 computed in full precision (so -1 + 2^30 + 2^30 is 2^31-1, exact)', function () {
    expect(dot(x86Vpdpwssds, [0x8000, 0x8000], [0x8000, 0x8000], 0)).to.deep.equal({
      code: '0x7fffffff',
      flags: 0,
      stats: stats({ macs: 2, overflows: 1, saturations: 1 }),
    });
    // Bochs sums p1 + p2 in 32 bits first (wrapping to -2^31) and would saturate this one to 0x80000000.
    expect(dot(x86Vpdpwssds, [0x8000, 0x8000], [0x8000, 0x8000], 0xffffffff)).to.deep.equal({
      code: '0x7fffffff',
      flags: 0,
      stats: stats({ macs: 2 }),
    });
    expect(dot(x86Vpdpwssds, [0x8000, 0x7fff], [0x7fff, 0x8000], 0x80000000).code).to.equal('0x80000000');
  });
});

// ---------------------------------------------------------------------------------------------
// The reference: written from the pseudo-code, sharing no code with src/.
// ---------------------------------------------------------------------------------------------

/** VPDP{BUSD,WSSD}[S]: ORIGDEST + Σ ext(src1)·ext(src2), then SIGNED_DWORD_SATURATE or the low dword. */
function refVnni(
  aBits: number,
  aSigned: boolean,
  bBits: number,
  saturate: boolean,
  a: number[],
  b: number[],
  c: number,
): { code: string; stats: MacStats } {
  const ext = (bits: number, signed: boolean, v: number): bigint => (signed ? BigInt.asIntN(bits, BigInt(v)) : BigInt(v));
  let s = BigInt.asIntN(32, BigInt(c));
  for (let i = 0; i < a.length; i++) s += ext(aBits, aSigned, a[i]!) * ext(bBits, true, b[i]!);
  const lo = -(2n ** 31n);
  const hi = 2n ** 31n - 1n;
  const st = stats({ macs: a.length });
  if (s < lo || s > hi) {
    st.overflows = 1;
    if (saturate) {
      st.saturations = 1;
      s = s < lo ? lo : hi;
    }
  }
  return { code: hex(BigInt.asUintN(32, s)), stats: st };
}

/** A finite value m·2^-300 (inputs) or m·2^-600 (products and sums), or a special. */
type RVal = { kind: 'nan' } | { kind: 'inf'; neg: boolean } | { kind: 'num'; neg: boolean; mag: bigint };

/** Reads an IEEE binary code (sign, 8-bit exponent, `man` fraction bits) with denormals read as zero. */
function readDaz(code: number, man: number): RVal {
  const frac = code % 2 ** man;
  const e = Math.floor(code / 2 ** man) % 256;
  const neg = code >= 2 ** (man + 8);
  if (e === 255) return frac !== 0 ? { kind: 'nan' } : { kind: 'inf', neg };
  if (e === 0) return { kind: 'num', neg, mag: 0n };
  // (2^man + frac)·2^(e-127-man), scaled by 2^300.
  return { kind: 'num', neg, mag: BigInt(2 ** man + frac) << BigInt(e - 127 - man + 300) };
}

const DEFAULT_NAN = 0xffc00000;

/** fp32 code of ±M·2^-600 rounded to nearest even with an unbounded exponent, then FTZ and overflow. */
function roundToFp32(neg: boolean, M: bigint): { code: number; inexact: boolean; overflow: boolean; flushed: boolean } {
  const sign = neg ? 0x80000000 : 0;
  const L = M.toString(2).length;
  let E = L - 1 - 600;
  let q: bigint;
  let inexact = false;
  const shift = L - 24;
  if (shift > 0) {
    q = M >> BigInt(shift);
    const rem = M - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    inexact = rem !== 0n;
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    if (q === 1n << 24n) {
      q >>= 1n;
      E += 1;
    }
  } else {
    q = M << BigInt(-shift);
  }
  if (E < -126) return { code: sign, inexact: true, overflow: false, flushed: true };
  if (E > 127) return { code: sign + 0x7f800000, inexact: true, overflow: true, flushed: false };
  return { code: sign + (E + 127) * 2 ** 23 + Number(q - (1n << 23n)), inexact, overflow: false, flushed: false };
}

interface RefBf16Stats extends MacStats {
  flushed: number;
}

/** srcdest.fp32 += make_fp32(x)·make_fp32(y): "FP32 FMA with daz in, ftz out and RNE rounding". */
function refFmaStep(x: number, y: number, acc: number, st: RefBf16Stats): number {
  st.macs++;
  const X = x * 65536; // make_fp32: the bf16 bits in the upper half of a dword
  const Y = y * 65536;
  for (const v of [X, Y, acc]) {
    if (readDaz(v, 23).kind === 'nan') return v + (v % 2 ** 23 >= 2 ** 22 ? 0 : 2 ** 22); // quieted
  }
  const a = readDaz(X, 23);
  const b = readDaz(Y, 23);
  const c = readDaz(acc, 23);
  if (a.kind === 'nan' || b.kind === 'nan' || c.kind === 'nan') throw new Error('unreachable');
  const isZero = (v: RVal): boolean => v.kind === 'num' && v.mag === 0n;
  const pneg = a.neg !== b.neg;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (isZero(a) || isZero(b)) return DEFAULT_NAN; // 0·∞
    if (c.kind === 'inf' && c.neg !== pneg) return DEFAULT_NAN; // ∞ - ∞
    return pneg ? 0xff800000 : 0x7f800000;
  }
  if (c.kind === 'inf') return c.neg ? 0xff800000 : 0x7f800000;
  const P = (pneg ? -1n : 1n) * a.mag * b.mag;
  const C = (c.neg ? -1n : 1n) * (c.mag << 300n);
  const S = P + C;
  let r: { code: number; inexact: boolean; overflow: boolean; flushed: boolean };
  if (S === 0n) {
    // An exact zero: -0 only if both terms are -0 (round to nearest); cancellation gives +0.
    const code = P === 0n && C === 0n && pneg && c.neg ? 0x80000000 : 0;
    r = { code, inexact: false, overflow: false, flushed: false };
  } else {
    r = roundToFp32(S < 0n, S < 0n ? -S : S);
  }
  if (r.inexact) st.inexact++;
  if (r.overflow) st.overflows++;
  if (r.flushed) st.flushed++;
  // Swamped: a non-zero product left the (finite) accumulator's value unchanged.
  const cCode = c.mag === 0n ? (c.neg ? 0x80000000 : 0) : acc;
  if (P !== 0n && (r.code === cCode || (r.code % 0x80000000 === 0 && c.mag === 0n))) st.swamped++;
  return r.code;
}

function refVdpbf16ps(a: number[], b: number[], c: number): { code: string; stats: MacStats; flushed: number } {
  const st: RefBf16Stats = { ...stats({}), flushed: 0 };
  let acc = c;
  acc = refFmaStep(a[1]!, b[1]!, acc, st); // srcdest += src1.bfloat16[2i+1]·src2.bfloat16[2i+1]
  acc = refFmaStep(a[0]!, b[0]!, acc, st); // srcdest += src1.bfloat16[2i+0]·src2.bfloat16[2i+0]
  const { flushed, ...rest } = st;
  return { code: hex(acc), stats: rest, flushed };
}

describe('the reference itself, on the hand-checked lanes', function () {
  it('agrees with the hand values above (order, FMA exactness, DAZ, FTZ, NaN priority)', function () {
    expect(refVdpbf16ps([0xcb80, ONE], [ONE, ONE], 0x4b800000).code).to.equal('0x00000000');
    expect(refVdpbf16ps([0, 0x5f80], [0, 0x5f80], 0xff7fffff).code).to.equal('0x73800000');
    expect(refVdpbf16ps([0x0001, 0], [MAX, 0], 0x3f800000).code).to.equal('0x3f800000');
    expect(refVdpbf16ps([0x99c0, 0], [0x1a00, 0], 0x00800000).code).to.equal('0x00000000');
    expect(refVdpbf16ps([0x9980, 0], [0x1980, 0], 0x00800000).code).to.equal('0x00800000');
    expect(refVdpbf16ps([ONE, 0x7fc3], [ONE, 0xffc4], 0x7fc00005).code).to.equal('0x7fc30000');
    expect(refVnni(16, true, 16, true, [0x8000, 0x8000], [0x8000, 0x8000], 0xffffffff).code).to.equal('0x7fffffff');
  });
});

// ---------------------------------------------------------------------------------------------
// Random lanes (seeded), biased to the regions where the corners live.
// ---------------------------------------------------------------------------------------------

const BF16_CORNERS = [
  0x0000, 0x8000, 0x0001, 0x8001, 0x007f, 0x807f, 0x0080, 0x8080, ONE, NEG_ONE, MAX, 0xff7f, INF, NEG_INF, 0x7fc0, 0xffc0, 0x7f81,
  0xff81, 0x7fff,
];
const FP32_CORNERS = [
  0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x80800000, 0x3f800000, 0x4b800000, 0x7f7fffff, 0xff7fffff,
  0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001,
];

/** Codes with an exponent field in [lo, hi] (any sign and fraction), sometimes a corner instead. */
const binIn = (lo: number, hi: number, man: number, corners: number[]): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: lo, max: hi }), fc.integer({ min: 0, max: 2 ** man - 1 })) },
    { weight: 1, arbitrary: fc.constantFrom(...corners).map((c) => [false, -1, c] as [boolean, number, number]) },
  ).map(([s, e, m]) => (e < 0 ? m : (s ? 2 ** (man + 8) : 0) + e * 2 ** man + m));

const bf16In = (lo: number, hi: number) => binIn(lo, hi, 7, BF16_CORNERS);
const fp32In = (lo: number, hi: number) => binIn(lo, hi, 23, FP32_CORNERS);

/** A lane whose products (bf16 exponents in [lo, hi]) meet an accumulator with exponent in [cLo, cHi]. */
const region = (lo: number, hi: number, cLo: number, cHi: number) =>
  fc.tuple(fc.tuple(bf16In(lo, hi), bf16In(lo, hi)), fc.tuple(bf16In(lo, hi), bf16In(lo, hi)), fp32In(cLo, cHi));

const bf16Lane = fc.oneof(
  // Anywhere at all.
  { weight: 2, arbitrary: region(0, 255, 0, 255) },
  // Ordinary magnitudes: products 2^-14..2^14 against accumulators 2^-17..2^23: rounding, swamping, cancellation.
  { weight: 4, arbitrary: region(120, 134, 110, 150) },
  // Tiny: products 2^-164..2^-114 against accumulators at the bottom of the range (DAZ, FTZ, the 2^-126 boundary).
  { weight: 3, arbitrary: region(45, 70, 0, 4) },
  // Huge: products 2^116..2^254 against accumulators near the top (overflow, exact products beyond fp32).
  { weight: 1, arbitrary: region(185, 254, 240, 254) },
);

describe(`VDPBF16PS equals the reference on random lanes (fast-check, seed 3086, ${RUNS} runs)`, function () {
  it('result bits and statistics; every corner class is reached', function () {
    const seen = { inexact: 0, swamped: 0, overflow: 0, flushed: 0, nan: 0, orderMatters: 0 };
    fc.assert(
      fc.property(bf16Lane, ([a, b, c]) => {
        const got = dot(x86Vdpbf16ps, a, b, c);
        const want = refVdpbf16ps(a, b, c);
        expect({ code: got.code, flags: got.flags, stats: got.stats }, `a=${a.map(hex)} b=${b.map(hex)} c=${hex(c)}`).to.deep.equal({
          code: want.code,
          flags: 0,
          stats: want.stats,
        });
        if (want.stats.inexact) seen.inexact++;
        if (want.stats.swamped) seen.swamped++;
        if (want.stats.overflows) seen.overflow++;
        if (want.flushed) seen.flushed++;
        if (/^0x[7f]f[c-f]/.test(want.code)) seen.nan++;
        const swapped = refVdpbf16ps([a[1], a[0]], [b[1], b[0]], c);
        if (swapped.code !== want.code) seen.orderMatters++;
      }),
      { seed: 3086, numRuns: RUNS },
    );
    for (const [k, n] of Object.entries(seen)) expect(n, `lanes with ${k}`).to.be.greaterThan(RUNS / 200);
  });
});

const u8 = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 0x7f, 0x80, 0xff));
const u16 = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 1, 0x7fff, 0x8000, 0xffff));
/** Accumulators anywhere, and near the two ends of the s32 range where wraps and saturations happen. */
const s32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.integer({ min: 0x7ffc0000, max: 0x8003ffff }), // 2^31-1 - 2^18 .. -2^31 + 2^18
  fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000),
);

const VNNI_CASES: [DotUnit, number, boolean, boolean, fc.Arbitrary<number>][] = [
  // unit, element bits, a signed, saturating, element arbitrary
  [x86Vpdpbusd, 8, false, false, u8],
  [x86Vpdpbusds, 8, false, true, u8],
  [x86Vpdpwssd, 16, true, false, u16],
  [x86Vpdpwssds, 16, true, true, u16],
];

describe(`VNNI lanes equal the BigInt reference on random lanes (fast-check, seed 3087, ${RUNS} runs each)`, function () {
  for (const [unit, bits, aSigned, saturate, el] of VNNI_CASES) {
    it(`${unit.name}: result bits and statistics; wraps or saturations are reached`, function () {
      const k = unit.k!;
      let overflows = 0;
      fc.assert(
        fc.property(fc.array(el, { minLength: k, maxLength: k }), fc.array(el, { minLength: k, maxLength: k }), s32, (a, b, c) => {
          const got = dot(unit, a, b, c);
          const want = refVnni(bits, aSigned, bits, saturate, a, b, c);
          expect({ code: got.code, flags: got.flags, stats: got.stats }, `a=${a} b=${b} c=${hex(c)}`).to.deep.equal({
            code: want.code,
            flags: 0,
            stats: want.stats,
          });
          overflows += want.stats.overflows;
        }),
        { seed: 3087, numRuns: RUNS },
      );
      expect(overflows, 'lanes that wrapped or saturated').to.be.greaterThan(RUNS / 100);
    });
  }
});
