import type { FloatSpec } from '../../formats/float.js';
import { DEFAULT_CONTEXT, Mode, modeCode, type Context } from '../../round/modes.js';
import { srUniform } from '../../round/random.js';
import { F64, FLAGS_SCALE, HI, LO, U32, roundPackNum, zeroCode, zeroFlags } from '../../round/_internal/float-round.js';
import { decodeTable } from './_internal/fast.js';
import { CHUNK, nextChunk } from './_internal/bits.js';
import { fma } from './fma.js';
import type { CodeArray } from './encode-array.js';

/**
 * Elementwise fused multiply-add over code arrays: out[i] = a[i]·b[i] + c[i] rounded once, with each
 * element's flags in `flagsOut` (when given); returns the OR of all flags. Bit-identical to {@link fma}
 * element by element, flags included (tested against it, the oracle and TestFloat's `f16_mulAdd`).
 * Formats of at most 16 bits decode through a table and hold the exact sum as a binary64 value plus
 * its TwoSum error; ties to even then rounds chunks with Veltkamp's splitting and reads the codes off
 * float32 bit patterns (`fmaRneChunks`), other modes round each element with `roundPackNum`. NaN, ∞,
 * zero, tiny and overflowing results take the scalar `fma`.
 *
 * @example
 * ```ts
 * const out = new Uint16Array(1);
 * fmaArray(catalog.fp16, new Uint16Array([0xbef8]), new Uint16Array([0x0890]), new Uint16Array([0]), out);
 * // => 1 (inexact); out[0] => 0x8bf3
 * ```
 */
export function fmaArray(
  s: FloatSpec,
  a: CodeArray,
  b: CodeArray,
  c: CodeArray,
  out: CodeArray,
  ctx: Context = DEFAULT_CONTEXT,
  flagsOut?: Uint8Array,
  indexBase = 0,
): number {
  const n = a.length;
  if (b.length !== n || c.length !== n || out.length < n) {
    throw new RangeError(`fmaArray: a, b and c must have one length and out at least that (a ${n}, b ${b.length}, c ${c.length}, out ${out.length})`);
  }
  if (flagsOut && flagsOut.length < n) throw new RangeError(`flagsOut: length ${flagsOut.length} is shorter than a (${n})`);
  const mode = modeCode(ctx.rounding);
  if (!s.fast || s.width > 16) {
    let all = 0;
    for (let i = 0; i < n; i++) {
      const r = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
      out[i] = Number(r.code);
      if (flagsOut) flagsOut[i] = r.flags;
      all |= r.flags;
    }
    return all;
  }
  const t = decodeTable(s);
  const plan = f32Plan(s);
  if (plan !== null && mode === Mode.RNE) return fmaRneChunks(s, plan, t, a, b, c, out, ctx, flagsOut, indexBase);
  return fmaTable(s, t, a, b, c, out, ctx, mode, flagsOut, indexBase);
}

/** Every mode, element by element: table decode, TwoSum, `roundPackNum`. */
function fmaTable(
  s: FloatSpec,
  t: Float64Array,
  a: CodeArray,
  b: CodeArray,
  c: CodeArray,
  out: CodeArray,
  ctx: Context,
  mode: Mode,
  flagsOut: Uint8Array | undefined,
  indexBase: number,
): number {
  const n = a.length;
  const tb = ctx.tininess === 'before';
  const r = ctx.srBits;
  const signed = s.signed;
  let all = 0;
  for (let i = 0; i < n; i++) {
    const x = t[a[i]!]!;
    const y = t[b[i]!]!;
    const z = t[c[i]!]!;
    const p = x * y;
    const v = p + z;
    let packed: number;
    if (v - v !== 0) {
      // NaN or ∞ somewhere: the general path.
      const res = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
      packed = (res.code as number) + res.flags * FLAGS_SCALE;
    } else if (v === 0) {
      const neg = p === 0 && z === 0 && Object.is(p, z) ? Object.is(p, -0) : mode === Mode.RDN;
      packed = (zeroCode(s, neg) as number) + zeroFlags(s) * FLAGS_SCALE;
    } else {
      const bv = v - p;
      const err = p - (v - bv) + (z - bv);
      const neg = v < 0;
      if (neg && !signed) {
        const res = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
        packed = (res.code as number) + res.flags * FLAGS_SCALE;
      } else {
        const rest = err === 0 ? 0 : (err > 0) !== neg ? 1 : -1;
        const U = mode === Mode.SR ? srUniform(ctx.seed, ctx.stream, indexBase + i, r) : 0;
        packed = roundPackNum(s, neg, neg ? -v : v, rest, mode, tb, U, r);
      }
    }
    const code = packed % FLAGS_SCALE;
    const f = (packed - code) / FLAGS_SCALE;
    out[i] = code;
    if (flagsOut) flagsOut[i] = f;
    all |= f;
  }
  return all;
}

/**
 * Constants of the two-stage ties-to-even kernel for one format, or null where it does not apply: a
 * signed format with 1 to 22 fraction bits whose values, and the first value beyond max finite, are
 * float32 numbers (emin ≥ -126, emax ≤ 127): fp16, bf16 and every 8-bit format with a sign and a
 * fraction bit.
 */
interface F32Plan {
  /** 2^(52-m) + 1: Veltkamp's splitting constant for m + 1 bits. */
  readonly split: number;
  /** 23 - m: fraction bits of a float32 below the kept ones. */
  readonly drop: number;
  /** (127 - bias) · 2^m: converts a float32 biased exponent field into the format's. */
  readonly expAdj: number;
  /** The float32 pattern of 2^emin, plus one: a smaller rounded magnitude may have been tiny. */
  readonly lowBits: number;
  /** Largest finite magnitude code. */
  readonly maxT: number;
  readonly signWeight: number;
}

const F32_PLANS = new WeakMap<FloatSpec, F32Plan | null>();

function f32Plan(s: FloatSpec): F32Plan | null {
  let p = F32_PLANS.get(s);
  if (p !== undefined) return p;
  const m = s.manBits;
  p = null;
  if (s.fast && s.signed && m >= 1 && m <= 22 && s.emin >= -126 && s.emax <= 127 && s.eminField >= 1) {
    p = {
      split: 2 ** (52 - m) + 1,
      drop: 23 - m,
      expAdj: (127 - s.bias) * 2 ** m,
      lowBits: (s.emin + 127) * 2 ** 23 + 1,
      maxT: (s.emax + s.bias) * 2 ** m + s.maxManAtEmax,
      signWeight: s.signWeight,
    };
  }
  F32_PLANS.set(s, p);
  return p;
}

// One chunk's stage-1 results (each sum rounded to the format's precision, as a float32), codes and
// flags. The loops work on these module arrays and the chunk is copied out with `set`: V8 then
// embeds the arrays as constants instead of re-checking a parameter's array on every iteration.
const ROUNDED = new Float32Array(CHUNK);
const ROUNDED_BITS = new Int32Array(ROUNDED.buffer);
const CODES = new Uint16Array(CHUNK);
const FLAGS = new Uint8Array(CHUNK);

/**
 * Ties to even in two stages per chunk:
 * 1. `roundChunk`: v = x·y + z in binary64 (table decode, exact product) and its TwoSum error; where
 *    the error is not zero (rare: the sum needs more than 53 bits), v is replaced by its round-to-odd
 *    neighbour ("jammed": lsb set, toward the error), which rounds to every precision of ≤ 51 bits as
 *    the exact sum does, ties included. Veltkamp's splitting (three operations) rounds v to m + 1 bits,
 *    ties to even, in v's binade; the inexact flag is (rounded ≠ v); the rounded value, a float32
 *    number, is stored as one.
 * 2. `codesOfChunk` reads those float32 patterns: shifted and re-biased they are the codes.
 * 3. Elements whose rounded value is not above 2^emin and at most max finite (zero, tiny, overflow,
 *    NaN, ∞) go through the scalar `fma`.
 */
function fmaRneChunks(
  s: FloatSpec,
  plan: F32Plan,
  tab: Float64Array,
  a: CodeArray,
  b: CodeArray,
  c: CodeArray,
  out: CodeArray,
  ctx: Context,
  flagsOut: Uint8Array | undefined,
  indexBase: number,
): number {
  const n = a.length;
  let all = 0;
  for (let i0 = 0; i0 < n; ) {
    const len = nextChunk(i0, n);
    const quad = len & ~3;
    let slow = quad !== len;
    let chunkAll = 0;
    if (quad > 0) {
      chunkAll = roundChunk(plan.split, tab, a, b, c, i0, quad);
      slow = codesOfChunk(plan, quad) || slow;
    }
    if (slow) {
      for (let j = 0; j < len; j++) {
        if (j < quad && !f32NeedsScalar(plan, ROUNDED_BITS[j]!)) continue;
        const i = i0 + j;
        const x = tab[a[i]!]!;
        const y = tab[b[i]!]!;
        const z = tab[c[i]!]!;
        const p = x * y;
        if (p + z === 0) {
          // An exact zero: the sign of two like-signed zeros, else +0 (ties to even).
          CODES[j] = zeroCode(s, p === 0 && z === 0 && Object.is(p, z) && Object.is(p, -0)) as number;
          FLAGS[j] = zeroFlags(s);
        } else {
          const res = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
          CODES[j] = res.code as number;
          FLAGS[j] = res.flags;
        }
      }
      // The flags of the elements just recomputed replace the kernel's.
      chunkAll = 0;
      for (let j = 0; j < len; j++) chunkAll |= FLAGS[j]!;
    }
    out.set(CODES.subarray(0, len), i0);
    if (flagsOut) flagsOut.set(FLAGS.subarray(0, len), i0);
    all |= chunkAll;
    i0 += len;
  }
  return all;
}

/** Is the element whose rounded float32 pattern is `bits` outside stage 2's range? */
function f32NeedsScalar(p: F32Plan, bits: number): boolean {
  const m = bits & 0x7fffffff;
  return m < p.lowBits || (m >>> p.drop) - p.expAdj > p.maxT;
}

/**
 * Stage 1 on elements i0 .. i0+n-1 (n a multiple of 4): ROUNDED[j] and the inexact flag FLAGS[j];
 * returns the OR of the flags.
 */
function roundChunk(split: number, tab: Float64Array, a: CodeArray, b: CodeArray, c: CodeArray, i0: number, n: number): number {
  let all = 0;
  for (let j = 0; j < n; j += 4) {
    const i = i0 + j;
    const p0 = tab[a[i]!]! * tab[b[i]!]!;
    const z0 = tab[c[i]!]!;
    const p1 = tab[a[i + 1]!]! * tab[b[i + 1]!]!;
    const z1 = tab[c[i + 1]!]!;
    const p2 = tab[a[i + 2]!]! * tab[b[i + 2]!]!;
    const z2 = tab[c[i + 2]!]!;
    const p3 = tab[a[i + 3]!]! * tab[b[i + 3]!]!;
    const z3 = tab[c[i + 3]!]!;
    const v0 = p0 + z0;
    const v1 = p1 + z1;
    const v2 = p2 + z2;
    const v3 = p3 + z3;
    // TwoSum: e = (p + z) - v exactly (NaN when v is not finite).
    const b0 = v0 - p0;
    const b1 = v1 - p1;
    const b2 = v2 - p2;
    const b3 = v3 - p3;
    const e0 = p0 - (v0 - b0) + (z0 - b0);
    const e1 = p1 - (v1 - b1) + (z1 - b1);
    const e2 = p2 - (v2 - b2) + (z2 - b2);
    const e3 = p3 - (v3 - b3) + (z3 - b3);
    // Veltkamp: g - (g - v) is v rounded to m + 1 bits, ties to even.
    const g0 = v0 * split;
    const g1 = v1 * split;
    const g2 = v2 * split;
    const g3 = v3 * split;
    const r0 = g0 - (g0 - v0);
    const r1 = g1 - (g1 - v1);
    const r2 = g2 - (g2 - v2);
    const r3 = g3 - (g3 - v3);
    ROUNDED[j] = r0;
    ROUNDED[j + 1] = r1;
    ROUNDED[j + 2] = r2;
    ROUNDED[j + 3] = r3;
    const f0 = +(r0 !== v0);
    const f1 = +(r1 !== v1);
    const f2 = +(r2 !== v2);
    const f3 = +(r3 !== v3);
    FLAGS[j] = f0;
    FLAGS[j + 1] = f1;
    FLAGS[j + 2] = f2;
    FLAGS[j + 3] = f3;
    all |= f0 | f1 | f2 | f3;
    if (e0 !== 0 || e1 !== 0 || e2 !== 0 || e3 !== 0) all |= jamFour(split, tab, a, b, c, i, j);
  }
  return all;
}

/**
 * The rare case of roundChunk: elements j .. j+3 again, each sum jammed where its error is not zero;
 * returns the OR of their flags.
 */
function jamFour(split: number, tab: Float64Array, a: CodeArray, b: CodeArray, c: CodeArray, i: number, j: number): number {
  let all = 0;
  for (let k = 0; k < 4; k++) {
    const p = tab[a[i + k]!]! * tab[b[i + k]!]!;
    const z = tab[c[i + k]!]!;
    const u = p + z;
    const bu = u - p;
    const v = jam(u, p - (u - bu) + (z - bu));
    const g = v * split;
    const r = g - (g - v);
    ROUNDED[j + k] = r;
    FLAGS[j + k] = +(r !== v);
    all |= +(r !== v);
  }
  return all;
}

/** Stage 2: CODES[j] = the code of ROUNDED[j] (j < n, a multiple of 4); true if one is out of range. */
function codesOfChunk(p: F32Plan, n: number): boolean {
  // `| 0`: V8 keeps the constants in int32 registers.
  const drop = p.drop | 0;
  const expAdj = p.expAdj | 0;
  const lowBits = p.lowBits | 0;
  const maxT = p.maxT | 0;
  const signWeight = p.signWeight | 0;
  const len = n | 0;
  let slow = 0;
  for (let j = 0; j < len; j += 4) {
    const w0 = ROUNDED_BITS[j]!;
    const w1 = ROUNDED_BITS[j + 1]!;
    const w2 = ROUNDED_BITS[j + 2]!;
    const w3 = ROUNDED_BITS[j + 3]!;
    const m0 = w0 & 0x7fffffff;
    const m1 = w1 & 0x7fffffff;
    const m2 = w2 & 0x7fffffff;
    const m3 = w3 & 0x7fffffff;
    const c0 = (m0 >>> drop) - expAdj;
    const c1 = (m1 >>> drop) - expAdj;
    const c2 = (m2 >>> drop) - expAdj;
    const c3 = (m3 >>> drop) - expAdj;
    slow |= (m0 - lowBits) | (maxT - c0) | (m1 - lowBits) | (maxT - c1) | (m2 - lowBits) | (maxT - c2) | (m3 - lowBits) | (maxT - c3);
    CODES[j] = c0 + ((w0 >> 31) & signWeight);
    CODES[j + 1] = c1 + ((w1 >> 31) & signWeight);
    CODES[j + 2] = c2 + ((w2 >> 31) & signWeight);
    CODES[j + 3] = c3 + ((w3 >> 31) & signWeight);
  }
  return slow < 0;
}

/**
 * Round to odd at binary64 precision: v when the error e is zero or v's lsb is already odd, else the
 * neighbour of v toward e (whose lsb is odd). Non-finite v stays (stage 2 sends it to the scalar path).
 */
function jam(v: number, e: number): number {
  if (e === 0 || v - v !== 0) return v;
  F64[0] = v;
  const lo = U32[LO]!;
  if ((lo & 1) === 1) return v;
  if (e > 0 === v > 0) {
    U32[LO] = lo + 1; // away from zero: lo is even, no carry
  } else if (lo === 0) {
    U32[LO] = 0xffffffff; // toward zero, borrowing from the high word (v ≠ 0)
    U32[HI] = U32[HI]! - 1;
  } else {
    U32[LO] = lo - 1;
  }
  return F64[0]!;
}
