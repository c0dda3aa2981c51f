/**
 * x86 dot-product instructions as dot units, one 32-bit lane each, exactly per Intel's published
 * pseudo-code (Intel® 64 and IA-32 Architectures Software Developer's Manual, Vol. 2C, the
 * VDPBF16PS, VPDPBUSD, VPDPBUSDS, VPDPWSSD and VPDPWSSDS pages; the Intel Intrinsics Guide says the same).
 * Our reading of the pseudo-code, the steps below and what cannot be checked here: `docs/presets/x86.md`.
 *
 * Operands are codes taken from the lane *low element first*: `a[0]` is the lowest-addressed element
 * of the lane's dword in src1 (`src1.bfloat16[2i+0]`, `src1.byte[4i+0]`, `src1.word[2i+0]`), `b` the same
 * for src2, and `c` is the destination dword (the accumulator). Integer codes are two's complement bit
 * patterns of their width (s8 `0xff` is -1); the s32 result is returned as an unsigned 32-bit pattern.
 *
 * None of these instructions reports anything: VDPBF16PS neither consults nor updates MXCSR and raises
 * no exception, and the integer instructions affect no flags. `DotResult.flags` is therefore always 0;
 * what happened inside is in `DotResult.stats`.
 */
import { catalog } from '../../formats/catalog.js';
import { floatFormat, type FloatSpec } from '../../formats/float.js';
import { fma } from '../../ops/float/fma.js';
import { context } from '../../round/modes.js';
import { Flag } from '../../flags.js';
import { emptyStats, intFormat, type DotResult, type DotUnit, type IntSpec, type MacStats } from '../types.js';

const SDM = "Intel® 64 and IA-32 Architectures Software Developer's Manual, Vol. 2C";

// ---------------------------------------------------------------------------------------------
// Operand reading
// ---------------------------------------------------------------------------------------------

function fail(unit: string, what: string, msg: string): never {
  throw new RangeError(`${unit}: ${what}: ${msg}`);
}

/** A code as a number in 0..2^width-1; anything else is an error naming the argument and the fix. */
function codeOf(unit: string, what: string, v: number | bigint | undefined, width: number, kind: string): number {
  const max = 2 ** width - 1;
  const n = typeof v === 'bigint' ? (v >= 0n && v <= BigInt(max) ? Number(v) : -1) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    fail(
      unit,
      what,
      `must be an integer in 0..0x${max.toString(16)}, the ${kind} bit pattern (two's complement for ` +
        `signed integers: -1 is 0x${max.toString(16)}), got ${String(v)}`,
    );
  }
  return n;
}

function checkLengths(unit: string, a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, k: number): void {
  if (a.length !== k) fail(unit, 'a', `one lane takes exactly ${k} elements, got ${a.length}`);
  if (b.length !== k) fail(unit, 'b', `one lane takes exactly ${k} elements, got ${b.length}`);
}

// ---------------------------------------------------------------------------------------------
// VDPBF16PS
// ---------------------------------------------------------------------------------------------

const SIGN = 0x80000000;
const EXP = 0x7f800000;
const FRAC = 0x007fffff;
const QUIET = 0x00400000;
/** Round to nearest even; tininess after rounding (x86: SDM Vol. 1 §4.9.1.5), which decides FTZ. */
const RNE = context({ rounding: 'rne', tininess: 'after' });

/** bf16 as this unit reads it: a code with a zero exponent field is a zero (DAZ). */
const BF16_DAZ: FloatSpec = floatFormat({ expBits: 8, manBits: 7, subnormals: false });
/** fp32 as this unit reads (DAZ) and writes (FTZ) it: no subnormals. */
const FP32_FTZ: FloatSpec = floatFormat({ expBits: 8, manBits: 23, subnormals: false });

function isNaN32(x: number): boolean {
  return (x & EXP) === EXP && (x & FRAC) !== 0;
}

function signOf(x: number): number {
  return x >= SIGN ? SIGN : 0;
}

/** Denormals are zero: a zero exponent field reads as a zero of the same sign. */
function daz(x: number): number {
  return (x & EXP) === 0 ? signOf(x) : x;
}

function finiteNonZero(x: number): boolean {
  return (x & EXP) !== EXP && (x & 0x7fffffff) !== 0;
}

/**
 * One step `acc += x·y` of VDPBF16PS: an fp32 FMA with DAZ on its three inputs, FTZ on its output and
 * round to nearest even (the pseudo-code's comment "FP32 FMA with daz in, ftz out and RNE rounding").
 * `x`, `y` are fp32 codes made from bf16 (`make_fp32`), `acc` an fp32 code.
 */
function fmaStep(x: number, y: number, acc: number, st: MacStats): number {
  st.macs++;
  // 1. NaN operands: the first NaN of (x, y, acc), quieted. This order, applied to the two steps
  //    (high pair first), is exactly the SDM's NaN-priority table: src1 low, src2 low, src1 high,
  //    src2 high, srcdest. A NaN accumulator wins over an invalid 0·∞ (the table's row 5).
  if (isNaN32(x)) return (x | QUIET) >>> 0;
  if (isNaN32(y)) return (y | QUIET) >>> 0;
  if (isNaN32(acc)) return (acc | QUIET) >>> 0;
  // 2. DAZ: subnormal inputs (bf16 operands and the accumulator) read as signed zeros.
  const a = daz(x);
  const b = daz(y);
  const c = daz(acc);
  // 3. The exact a·b + c rounded once to fp32, nearest even (0·∞ and ∞-∞ give the default NaN FFC00000).
  const r = fma(catalog.fp32, a, b, c, RNE);
  let code = r.code as number;
  // 4. FTZ: a result that is tiny after rounding (|x| < 2^-126 when rounded with an unbounded
  //    exponent: a subnormal, or the underflow flag) becomes a zero with the sign of the true result.
  const tiny = (r.flags & Flag.underflow) !== 0 || ((code & EXP) === 0 && (code & FRAC) !== 0);
  if (tiny) code = signOf(code);
  // 5. Statistics.
  if ((r.flags & Flag.inexact) !== 0 || tiny) st.inexact++;
  if ((r.flags & Flag.overflow) !== 0) st.overflows++;
  if (finiteNonZero(a) && finiteNonZero(b) && (c & EXP) !== EXP && (code === c || ((code | c) & 0x7fffffff) === 0)) {
    st.swamped++;
  }
  return code;
}

const VDPBF16PS_NAME = 'x86-vdpbf16ps';

/**
 * One fp32 lane of VDPBF16PS (AVX512_BF16): d = c + a[1]·b[1], then d = d + a[0]·b[0], each step an
 * fp32 FMA (the bf16 product is exact, one rounding per step) with denormal inputs read as zero,
 * tiny results flushed to zero and round to nearest even, whatever MXCSR says.
 *
 * @example
 * ```ts
 * // c = 2^24; the high pair (1·1) goes first and is swamped, the low pair (-2^24·1) then cancels:
 * x86Vdpbf16ps.dot([0xcb80, 0x3f80], [0x3f80, 0x3f80], 0x4b800000).code; // => 0 (the exact sum is 1)
 * x86Vdpbf16ps.dot([0x3f80, 0xcb80], [0x3f80, 0x3f80], 0x4b800000).code; // => 0x3f800000 (pairs swapped)
 * ```
 */
export const x86Vdpbf16ps: DotUnit = Object.freeze({
  name: VDPBF16PS_NAME,
  description: 'AVX512_BF16 VDPBF16PS lane: 2 bf16 pairs into fp32, high pair first, FMA steps, DAZ/FTZ, RNE, no flags',
  source:
    `${SDM}, VDPBF16PS—Dot Product of BF16 Pairs Accumulated Into Packed Single Precision ` +
    '(Operation; NaN propagation priorities table)',
  a: BF16_DAZ,
  b: BF16_DAZ,
  c: FP32_FTZ,
  out: FP32_FTZ,
  k: 2,
  dot(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint): DotResult {
    checkLengths(VDPBF16PS_NAME, a, b, 2);
    const a0 = codeOf(VDPBF16PS_NAME, 'a[0]', a[0], 16, 'bf16');
    const a1 = codeOf(VDPBF16PS_NAME, 'a[1]', a[1], 16, 'bf16');
    const b0 = codeOf(VDPBF16PS_NAME, 'b[0]', b[0], 16, 'bf16');
    const b1 = codeOf(VDPBF16PS_NAME, 'b[1]', b[1], 16, 'bf16');
    let acc = codeOf(VDPBF16PS_NAME, 'c', c, 32, 'fp32');
    const stats = emptyStats();
    // make_fp32(x): the bf16 bits in the upper half of a dword (exact).
    acc = fmaStep(a1 * 0x10000, b1 * 0x10000, acc, stats);
    acc = fmaStep(a0 * 0x10000, b0 * 0x10000, acc, stats);
    return { code: acc, flags: 0, stats };
  },
});

// ---------------------------------------------------------------------------------------------
// VNNI: VPDPBUSD[S], VPDPWSSD[S]
// ---------------------------------------------------------------------------------------------

const S32 = intFormat(32, true);
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);
const TWO32 = 2 ** 32;

function signedValue(code: number, width: number): number {
  return code >= 2 ** (width - 1) ? code - 2 ** width : code;
}

function vnniLane(o: {
  name: string;
  description: string;
  source: string;
  a: IntSpec;
  b: IntSpec;
  k: number;
  saturate: boolean;
}): DotUnit {
  const { name, k, saturate } = o;
  const aw = o.a.width;
  const bw = o.b.width;
  const aSigned = o.a.signed;
  const bSigned = o.b.signed;
  const aKind = o.a.name;
  const bKind = o.b.name;
  return Object.freeze({
    name,
    description: o.description,
    source: o.source,
    a: o.a,
    b: o.b,
    c: S32,
    out: S32,
    k,
    dot(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint): DotResult {
      checkLengths(name, a, b, k);
      // 1. ORIGDEST.dword[i] as a signed integer.
      let sum = signedValue(codeOf(name, 'c', c, 32, 's32'), 32);
      // 2. Each product of the extended elements, exact (|p| <= 2^30); the sum is exact too (|sum| <= 2^32).
      for (let i = 0; i < k; i++) {
        const ai = codeOf(name, `a[${i}]`, a[i], aw, aKind);
        const bi = codeOf(name, `b[${i}]`, b[i], bw, bKind);
        sum += (aSigned ? signedValue(ai, aw) : ai) * (bSigned ? signedValue(bi, bw) : bi);
      }
      // 3. Into 32 bits: SIGNED_DWORD_SATURATE of the full-precision sum, or its low 32 bits.
      const stats = emptyStats();
      stats.macs = k;
      if (sum > INT32_MAX || sum < INT32_MIN) {
        stats.overflows = 1;
        if (saturate) {
          stats.saturations = 1;
          sum = sum > 0 ? INT32_MAX : INT32_MIN;
        }
      }
      return { code: ((sum % TWO32) + TWO32) % TWO32, flags: 0, stats };
    },
  });
}

const U8 = intFormat(8, false);
const S8 = intFormat(8, true);
const S16 = intFormat(16, true);

/**
 * One dword lane of VPDPBUSD (AVX512_VNNI / AVX_VNNI): c + Σ zero_extend(a[i])·sign_extend(b[i]) over 4
 * bytes, wrapping modulo 2^32. `a` is the unsigned operand (src1), `b` the signed one (src2).
 *
 * @example
 * ```ts
 * x86Vpdpbusd.dot([255, 255, 255, 255], [0x80, 0x80, 0x80, 0x80], 0).code; // => 0xfffe0200 (4·255·-128 = -130560)
 * x86Vpdpbusd.dot([255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7fffffff).code; // => 0x8001fa03 (wrapped)
 * ```
 */
export const x86Vpdpbusd: DotUnit = vnniLane({
  name: 'x86-vpdpbusd',
  description: 'AVX512_VNNI VPDPBUSD lane: 4 u8×s8 products plus s32, wrapping modulo 2^32',
  source: `${SDM}, VPDPBUSD—Multiply and Add Unsigned and Signed Bytes (Operation)`,
  a: U8,
  b: S8,
  k: 4,
  saturate: false,
});

/**
 * One dword lane of VPDPBUSDS: as {@link x86Vpdpbusd}, but the full-precision sum saturates to
 * [-2^31, 2^31-1] (SIGNED_DWORD_SATURATE).
 *
 * @example
 * ```ts
 * x86Vpdpbusds.dot([255, 255, 255, 255], [0x7f, 0x7f, 0x7f, 0x7f], 0x7fffffff).code; // => 0x7fffffff
 * ```
 */
export const x86Vpdpbusds: DotUnit = vnniLane({
  name: 'x86-vpdpbusds',
  description: 'AVX512_VNNI VPDPBUSDS lane: 4 u8×s8 products plus s32, signed saturation of the exact sum',
  source: `${SDM}, VPDPBUSDS—Multiply and Add Unsigned and Signed Bytes With Saturation (Operation)`,
  a: U8,
  b: S8,
  k: 4,
  saturate: true,
});

/**
 * One dword lane of VPDPWSSD: c + Σ sign_extend(a[i])·sign_extend(b[i]) over 2 words, wrapping.
 *
 * @example
 * ```ts
 * x86Vpdpwssd.dot([0x8000, 0x8000], [0x8000, 0x8000], 0).code; // => 0x80000000 (2^30 + 2^30 wraps)
 * ```
 */
export const x86Vpdpwssd: DotUnit = vnniLane({
  name: 'x86-vpdpwssd',
  description: 'AVX512_VNNI VPDPWSSD lane: 2 s16×s16 products plus s32, wrapping modulo 2^32',
  source: `${SDM}, VPDPWSSD—Multiply and Add Signed Word Integers (Operation)`,
  a: S16,
  b: S16,
  k: 2,
  saturate: false,
});

/**
 * One dword lane of VPDPWSSDS: as {@link x86Vpdpwssd}, with signed saturation of the full-precision sum
 * c + p1 + p2 (so 2^30 + 2^30 - 1 = 0x7fffffff is not saturated).
 *
 * @example
 * ```ts
 * x86Vpdpwssds.dot([0x8000, 0x8000], [0x8000, 0x8000], 0).code; // => 0x7fffffff (saturated)
 * x86Vpdpwssds.dot([0x8000, 0x8000], [0x8000, 0x8000], 0xffffffff).code; // => 0x7fffffff (exact, no saturation)
 * ```
 */
export const x86Vpdpwssds: DotUnit = vnniLane({
  name: 'x86-vpdpwssds',
  description: 'AVX512_VNNI VPDPWSSDS lane: 2 s16×s16 products plus s32, signed saturation of the exact sum',
  source: `${SDM}, VPDPWSSDS—Multiply and Add Signed Word Integers With Saturation (Operation)`,
  a: S16,
  b: S16,
  k: 2,
  saturate: true,
});

/**
 * Every x86 preset, in the order VDPBF16PS, VPDPBUSD, VPDPBUSDS, VPDPWSSD, VPDPWSSDS.
 *
 * @example
 * ```ts
 * X86_PRESETS.map((u) => u.name);
 * // => ['x86-vdpbf16ps', 'x86-vpdpbusd', 'x86-vpdpbusds', 'x86-vpdpwssd', 'x86-vpdpwssds']
 * ```
 */
export const X86_PRESETS: readonly DotUnit[] = Object.freeze([x86Vdpbf16ps, x86Vpdpbusd, x86Vpdpbusds, x86Vpdpwssd, x86Vpdpwssds]);
