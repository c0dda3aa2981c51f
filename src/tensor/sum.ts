import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';
import { accumulator, type Accumulator, type AccumulatorOptions } from './accumulator.js';
import { checkTensor } from './_internal/formats.js';
import { reduceLoop } from './_internal/reduce.js';
import { describe } from './_internal/shape.js';

/**
 * The sum along one axis (negative counts from the end; the axis is removed from the shape), or of
 * every element with `axis` null (a 0-d result). The order is part of the answer: each output element
 * starts from `acc.init` (+0) and adds its elements one at a time **in increasing index along the
 * axis** (for `null`: in row-major order), acc ← acc ⊕ x, the accumulator rounding after every
 * addition. Addition i of an output element uses as stochastic index the flat row-major index, in
 * `t`'s shape, of the element it adds — so the bits depend neither on `t`'s strides nor on the
 * evaluation order. An empty axis gives +0.
 *
 * `acc` is an {@link Accumulator}, or its description `{ format, ctx }`, which builds a rounding
 * {@link accumulator}. Returns a new contiguous tensor in the accumulator's format and the OR of the
 * flags of every addition.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.e4m3fn, [2, 3], [1, 2, 3, 448, 448, 448]).tensor;
 * toNumbers(sum(t, 1, { format: catalog.fp32 }).tensor); // => Float64Array [6, 1344]
 * const r = sum(t, 1, { format: catalog.e4m3fn }); // 448 + 448 overflows to NaN
 * toNumbers(r.tensor); // => Float64Array [6, NaN]
 * r.flags; // => 5 (overflow | inexact)
 * const ones = fromNumbers(catalog.fp16, [4096], new Array(4096).fill(1)).tensor;
 * toNumbers(sum(ones, 0, { format: catalog.bf16 }).tensor); // => Float64Array [256] (256 + 1 rounds back to 256: swamping)
 * ```
 */
export function sum<S extends TensorSpec>(t: Tensor, axis: number | null, acc: Accumulator<S> | AccumulatorOptions<S>): TensorResult<S> {
  checkTensor('sum', t, 't');
  if (acc === null || typeof acc !== 'object') throw new TypeError(`sum: acc must be { format, ctx? } or an Accumulator, got ${describe(acc)}`);
  const A: Accumulator<S> = typeof (acc as Accumulator<S>).add === 'function' ? (acc as Accumulator<S>) : accumulator(acc);
  const spec = t.spec;
  let flags = 0;
  const out = reduceLoop(
    'sum',
    t,
    axis,
    A.format,
    (data, first, step, n, index0, indexStep) => {
      let s = A.init;
      for (let i = 0, p = first, ix = index0; i < n; i++, p += step, ix += indexStep) {
        const r = A.add(s, spec, data[p]!, ix);
        s = r.code;
        flags |= r.flags;
      }
      return s;
    },
    false,
  );
  return { tensor: out, flags };
}
