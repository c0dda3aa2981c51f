import type { Flags } from '../flags.js';
import { encodeArray, type CodeArray } from '../ops/float/encode-array.js';
import { fixedQuantizeArray } from '../ops/fixed/fixedQuantizeArray.js';
import { DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import { Tensor } from './tensor.js';
import { checkSpec, codeArrayCtor, type TensorSpec } from './storage.js';
import { checkShape, describe, fmt, sizeOf } from './_internal/shape.js';

/** A tensor and the OR of the flags its elements raised (`docs/semantics.md` §3; fixed point: inexact and overflow). */
export interface TensorResult<S extends TensorSpec = TensorSpec> {
  readonly tensor: Tensor<S>;
  readonly flags: Flags;
}

/**
 * Encodes JavaScript numbers (row-major, `values.length` equal to the shape's size) into a new
 * contiguous tensor, rounding each once: float formats by `encode` (the context's rounding mode),
 * fixed formats by `fixedFromNumber` (the format's own quantisation and overflow modes; the context
 * gives the stochastic-rounding seed, stream and bits). The stochastic index of element i is its flat
 * index i. Returns the tensor and the OR of every element's flags.
 *
 * @example
 * ```ts
 * const { tensor: t, flags } = fromNumbers(catalog.e4m3fn, [2, 2], [1, 464, -0.1, 1000]);
 * t.data; // => Uint8Array [0x38, 0x7e, 0x9d, 0x7f] (464 ties to 448; -0.1 rounds to -0.1015625; 1000 overflows to NaN)
 * flags; // => 5 (overflow | inexact)
 * fromNumbers(parseFixedFormat('s8.4:RND_CONV:SAT'), [3], [0.5, -1.03125, 9]).tensor.data; // => Int8Array [8, -16, 127]
 * ```
 */
export function fromNumbers<S extends TensorSpec>(
  spec: S,
  shape: readonly number[],
  values: ArrayLike<number>,
  ctx: Context = DEFAULT_CONTEXT,
): TensorResult<S> {
  checkSpec(spec);
  const sh = checkShape(shape);
  const n = sizeOf(sh);
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new TypeError(`values: must be an array of numbers (row-major, ${n} for shape ${fmt(sh)}), got ${describe(values)}`);
  }
  if (values.length !== n) {
    throw new RangeError(`values: shape ${fmt(sh)} has ${n} elements, values has ${values.length}`);
  }
  const src = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number') throw new TypeError(`values: element ${i} must be a number, got ${describe(v)}`);
    src[i] = v;
  }
  const data = new (codeArrayCtor(spec))(n);
  const flags =
    spec.kind === 'float' ? encodeArray(spec, src, data as CodeArray, ctx, undefined, 0) : fixedQuantizeArray(spec, src, data, ctx, 0);
  return { tensor: new Tensor(spec, data, sh), flags };
}
