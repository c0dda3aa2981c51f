import type { FloatSpec } from '../../formats/float.js';
import { DEFAULT_CONTEXT, Mode, modeCode, type Context } from '../../round/modes.js';
import { srKey1, srKey2 } from '../../round/random.js';
import { HI, zeroCode, zeroFlags } from '../../round/_internal/float-round.js';
import { encode } from './encode.js';
import { SLOW_BIT, bitsPlan, inexactFlags, inexactOf, needsScalar, nextChunk, roundWordsRne, roundWordsSr, type BitsPlan } from './_internal/bits.js';

/** A typed array that can hold the codes of a format (Uint8Array for ≤ 8 bits, Uint16Array for ≤ 16, ...). */
export type CodeArray = Uint8Array | Uint16Array | Uint32Array;

const TWO32 = 4294967296;

/**
 * Encodes a Float64Array into codes, element i with stochastic index `indexBase + i`. Writes each
 * element's flags into `flagsOut` when given; returns the OR of all flags. Bit-identical to
 * {@link encode} element by element (tested). For `rne` (signed formats with 1 to 18 fraction bits)
 * and `sr` (r ≤ 19 - m random bits), normal in-range results are rounded on the binary64 bit pattern,
 * in chunks, without allocation per element (`_internal/bits.ts`); everything else (zeros, subnormal
 * or overflowing results, NaN, ∞, other modes and formats) takes `encode`.
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
  const mode = modeCode(ctx.rounding);
  const plan = bitsPlan(s);
  if (plan !== null && ((mode === Mode.RNE && plan.rne) || (mode === Mode.SR && ctx.srBits < plan.drop))) {
    return encodeBits(s, plan, src, dst, ctx, mode === Mode.SR, flagsOut, indexBase);
  }
  let all = 0;
  for (let i = 0; i < src.length; i++) all |= encodeOne(s, src, dst, i, ctx, flagsOut, indexBase);
  return all;
}

/** Element i of the bit-level path through the scalar `encode` (a zero inline); returns its flags. */
function encodeScalar(s: FloatSpec, src: Float64Array, dst: CodeArray, i: number, ctx: Context, indexBase: number): number {
  const x = src[i]!;
  if (x === 0) {
    dst[i] = zeroCode(s, Object.is(x, -0)) as number;
    return zeroFlags(s);
  }
  const res = encode(s, x, ctx, indexBase + i);
  dst[i] = res.code as number;
  return res.flags;
}

/** Element i through the scalar `encode`; returns its flags. */
function encodeOne(s: FloatSpec, src: Float64Array, dst: CodeArray, i: number, ctx: Context, flagsOut: Uint8Array | undefined, indexBase: number): number {
  const res = encode(s, src[i]!, ctx, indexBase + i);
  dst[i] = Number(res.code);
  if (flagsOut) flagsOut[i] = res.flags;
  return res.flags;
}

/**
 * The bit-level path: chunks through `roundWordsRne` / `roundWordsSr`, then, in a chunk where the
 * kernel flagged an element, those elements again through `encode` (a zero inline).
 */
function encodeBits(
  s: FloatSpec,
  plan: BitsPlan,
  src: Float64Array,
  dst: CodeArray,
  ctx: Context,
  sr: boolean,
  flagsOut: Uint8Array | undefined,
  indexBase: number,
): number {
  const n = src.length;
  const words = new Int32Array(src.buffer, src.byteOffset, 2 * n);
  const r = ctx.srBits;
  let keyHi = -1;
  let k1 = 0;
  let k2 = 0;
  let all = 0;
  for (let i0 = 0; i0 < n; ) {
    let len = nextChunk(i0, n);
    let lo0 = 0;
    if (sr) {
      // The key depends on hi = floor(index / 2^32): a chunk never crosses such a boundary.
      const idx = indexBase + i0;
      const hi = Math.floor(idx / TWO32);
      lo0 = idx - hi * TWO32;
      len = Math.min(len, TWO32 - lo0);
      if (hi !== keyHi) {
        k1 = srKey1(ctx.seed, ctx.stream, hi);
        k2 = srKey2(k1);
        keyHi = hi;
      }
    }
    const even = len & ~3;
    let got = 0;
    if (even > 0) {
      got = sr ? roundWordsSr(plan, words, i0, even, dst, i0, HI, r, k1, k2, lo0) : roundWordsRne(plan, words, i0, even, dst, i0, HI);
    }
    if (flagsOut) {
      // Per-element flags: the kernels' (a dropped bit), then the scalar path's where it takes over.
      let chunkAll = inexactFlags(plan, words, i0, even, flagsOut, i0, HI);
      if ((got & SLOW_BIT) !== 0 || even !== len) {
        for (let j = 0; j < len; j++) {
          const i = i0 + j;
          if (j < even && !needsScalar(plan, words[2 * i + HI]!)) continue;
          flagsOut[i] = encodeScalar(s, src, dst, i, ctx, indexBase);
        }
        chunkAll = 0;
        for (let j = 0; j < len; j++) chunkAll |= flagsOut[i0 + j]!;
      }
      all |= chunkAll;
    } else if ((got & SLOW_BIT) === 0 && even === len) {
      all |= got;
    } else {
      // The elements the kernel left out through the scalar path, and the chunk's OR recomputed.
      for (let j = 0; j < len; j++) {
        const i = i0 + j;
        all |= j < even && !needsScalar(plan, words[2 * i + HI]!) ? inexactOf(plan, words, i, HI) : encodeScalar(s, src, dst, i, ctx, indexBase);
      }
    }
    i0 += len;
  }
  return all;
}
