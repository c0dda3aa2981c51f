import { exactFromNumber } from '../../formats/exact.js';
import type { FixedSpec } from '../../formats/fixed.js';
import type { Flags } from '../../flags.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { roundNumber } from './_internal/roundNumber.js';
import { fixedFromExact } from './fixedFromExact.js';

const MIN_NORMAL = 2 ** -1022;

/** Typed arrays that can receive raw fixed-point values. */
export type FixedRawArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array;

function rangeOf(dst: FixedRawArray): [number, number, string] {
  if (dst instanceof Float64Array) return [-(2 ** 53), 2 ** 53, 'Float64Array'];
  if (dst instanceof Int8Array) return [-128, 127, 'Int8Array'];
  if (dst instanceof Int16Array) return [-32768, 32767, 'Int16Array'];
  if (dst instanceof Int32Array) return [-(2 ** 31), 2 ** 31 - 1, 'Int32Array'];
  if (dst instanceof Uint8Array) return [0, 255, 'Uint8Array'];
  if (dst instanceof Uint16Array) return [0, 65535, 'Uint16Array'];
  if (dst instanceof Uint32Array) return [0, 2 ** 32 - 1, 'Uint32Array'];
  throw new RangeError('dst: must be an Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array or Float64Array');
}

/**
 * Quantises every element of `src` into the fixed format `spec` and writes the raw values to `dst`
 * (same results as {@link fixedFromNumber} element by element, with element i using the stochastic
 * index `index0 + i`). Returns the OR of the flags of all elements. No allocation per element: the
 * loop stays on numbers except for NaN, ±∞ and sources whose scaled value is subnormal.
 *
 * Throws a `RangeError` when the format is wide (width > 52), when `dst` cannot hold every raw
 * value of the format (e.g. a signed 16-bit format into a Uint16Array), or when `dst` is shorter than `src`.
 *
 * @example
 * ```ts
 * const dst = new Int16Array(3);
 * fixedQuantizeArray(parseFixedFormat('s16.8:RND_CONV:SAT'), Float64Array.of(0.5, 1.001953125, 1e6), dst);
 * // => 5 (inexact | overflow); dst is Int16Array [128, 256, 32767]
 * ```
 */
export function fixedQuantizeArray(
  spec: FixedSpec,
  src: Float64Array,
  dst: FixedRawArray,
  ctx: Context = DEFAULT_CONTEXT,
  index0 = 0,
): Flags {
  if (spec.wide) {
    throw new RangeError(`spec: ${spec.name} is ${spec.width} bits wide; arrays hold formats up to 52 bits, use fixedFromNumber for wider ones`);
  }
  const [lo, hi, kind] = rangeOf(dst);
  if (spec.loNum < lo || spec.hiNum > hi) {
    throw new RangeError(`dst: a ${kind} cannot hold the raw values ${spec.loNum}..${spec.hiNum} of ${spec.name}; use a wider typed array`);
  }
  const len = src.length;
  if (dst.length < len) throw new RangeError(`dst: has ${dst.length} elements, fewer than src's ${len}`);
  const out = { flags: 0 };
  const scale = spec.scale;
  for (let i = 0; i < len; i++) {
    const x = src[i]!;
    const q = x * scale;
    const a = Math.abs(q);
    if ((a >= MIN_NORMAL && a < Infinity) || x === 0) {
      dst[i] = roundNumber(spec, q, ctx, index0 + i, out);
    } else {
      const r = fixedFromExact(spec, exactFromNumber(x), ctx, index0 + i);
      dst[i] = r.raw as number;
      out.flags |= r.flags;
    }
  }
  return out.flags;
}
