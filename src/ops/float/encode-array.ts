import type { FloatSpec } from '../../formats/float.js';
import { DEFAULT_CONTEXT, Mode, modeCode, type Context } from '../../round/modes.js';
import { srUniform } from '../../round/random.js';
import { F64, HI, LO, U32 } from '../../round/_internal/float-round.js';
import { encode } from './encode.js';
import { bitsPlan } from './_internal/bits.js';

/** A typed array that can hold the codes of a format (Uint8Array for ≤ 8 bits, Uint16Array for ≤ 16, ...). */
export type CodeArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * Encodes a Float64Array into codes, element i with stochastic index `indexBase + i`. Writes each
 * element's flags into `flagsOut` when given; returns the OR of all flags. Bit-identical to
 * {@link encode} element by element (tested), and the hot loop allocates nothing: a normal result is
 * rounded directly on the binary64 bit pattern with the one increment expression; anything else
 * (subnormal or overflowing results, NaN, ∞, formats with more than 20 fraction bits) takes `encode`.
 *
 * @example
 * ```ts
 * const dst = new Uint8Array(3);
 * encodeArray(catalog.e4m3fn, new Float64Array([1, 464, -0.1]), dst); // => 1 (inexact)
 * // dst => Uint8Array [0x38, 0x7e, 0x9d]
 * ```
 */
export function encodeArray(
  s: FloatSpec,
  src: Float64Array,
  dst: CodeArray,
  ctx: Context = DEFAULT_CONTEXT,
  flagsOut?: Uint8Array,
  indexBase = 0,
): number {
  if (dst.length < src.length) throw new RangeError(`dst: length ${dst.length} is shorter than src (${src.length})`);
  if (flagsOut && flagsOut.length < src.length) throw new RangeError(`flagsOut: length ${flagsOut.length} is shorter than src (${src.length})`);
  if (s.width > dst.BYTES_PER_ELEMENT * 8) {
    throw new RangeError(`dst: ${s.name} codes have ${s.width} bits; a ${dst.constructor.name} holds ${dst.BYTES_PER_ELEMENT * 8}`);
  }
  const n = src.length;
  const mode = modeCode(ctx.rounding);
  let all = 0;
  const plan = bitsPlan(s);
  if (plan === null || mode !== Mode.RNE) return encodeGeneric(s, src, dst, ctx, mode, flagsOut, indexBase);
  // Ties to even on the bit pattern (see _internal/bits.ts); one well-predicted branch per element.
  const { drop, expAdj, stickyMask, minT, maxT, oddAlways, signWeight, signed } = plan;
  const gShift = drop - 1;
  // Unsigned formats send negatives to the scalar path (NaN, invalid); tested without a data-dependent branch.
  const unsignedBit = signed ? 0 : 1;
  const f64 = F64;
  const u32 = U32;
  const iHi = HI;
  const iLo = LO;
  for (let i = 0; i < n; i++) {
    f64[0] = src[i]!;
    const hi = u32[iHi]!;
    const lo = u32[iLo]!;
    const absHi = hi & 0x7fffffff;
    const t = (absHi >>> drop) - expAdj;
    const g = (absHi >>> gShift) & 1;
    const sx = ((absHi & stickyMask) | lo) | 0;
    const st = (sx | -sx) >>> 31; // branch-free: 1 iff any dropped bit below the guard is set
    const c = t + (g & (st | (t & 1) | oddAlways));
    const neg = hi >>> 31;
    if (((t - minT) | (maxT - c)) < 0 || (neg & unsignedBit) !== 0) {
      all |= encodeOne(s, src, dst, i, ctx, flagsOut, indexBase);
      continue;
    }
    dst[i] = c + neg * signWeight;
    const f = g | st;
    if (flagsOut) flagsOut[i] = f;
    all |= f;
  }
  return all;
}

/** Element i through the scalar `encode` (the cases the bit-level loops leave out); returns its flags. */
function encodeOne(s: FloatSpec, src: Float64Array, dst: CodeArray, i: number, ctx: Context, flagsOut: Uint8Array | undefined, indexBase: number): number {
  const res = encode(s, src[i]!, ctx, indexBase + i);
  dst[i] = res.code as number;
  if (flagsOut) flagsOut[i] = res.flags;
  return res.flags;
}

/** Every other case: stochastic and directed modes, wide formats. Element by element through `encode`. */
function encodeGeneric(
  s: FloatSpec,
  src: Float64Array,
  dst: CodeArray,
  ctx: Context,
  mode: Mode,
  flagsOut: Uint8Array | undefined,
  indexBase: number,
): number {
  let all = 0;
  const n = src.length;
  const plan = bitsPlan(s);
  if (plan === null || mode !== Mode.SR) {
    for (let i = 0; i < n; i++) {
      const r = encode(s, src[i]!, ctx, indexBase + i);
      dst[i] = Number(r.code);
      if (flagsOut) flagsOut[i] = r.flags;
      all |= r.flags;
    }
    return all;
  }
  // Stochastic rounding on the bit pattern: the whole dropped fraction (sticky bits included) against U.
  const { drop, expAdj, minT, maxT, signWeight, signed } = plan;
  const unsignedBit = signed ? 0 : 1;
  const fracMask = (1 << drop) - 1;
  const r = ctx.srBits;
  const srScale = 2 ** (r - drop - 32);
  const seed = ctx.seed;
  const stream = ctx.stream;
  for (let i = 0; i < n; i++) {
    F64[0] = src[i]!;
    const hi = U32[HI]!;
    const lo = U32[LO]!;
    const absHi = hi & 0x7fffffff;
    const t = (absHi >>> drop) - expAdj;
    const frac = absHi & fracMask;
    let c = t;
    let f = 0;
    if (frac !== 0 || lo !== 0) {
      f = 1;
      const fs = (frac * 4294967296 + lo) * srScale;
      const fr = Math.floor(fs);
      const U = srUniform(seed, stream, indexBase + i, r);
      if (fr > U || (fr === U && fs !== fr)) c += 1;
    }
    const neg = hi >>> 31;
    if (((t - minT) | (maxT - c)) < 0 || (neg & unsignedBit) !== 0) {
      all |= encodeOne(s, src, dst, i, ctx, flagsOut, indexBase);
      continue;
    }
    dst[i] = c + neg * signWeight;
    if (flagsOut) flagsOut[i] = f;
    all |= f;
  }
  return all;
}
