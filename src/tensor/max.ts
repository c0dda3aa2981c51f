import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';
import { checkTensor } from './_internal/formats.js';
import { reduceLoop } from './_internal/reduce.js';
import { maxFloat } from './_internal/max.js';

/**
 * The largest element along one axis (the axis is removed from the shape), or of every element
 * with `axis` null (a 0-d result); {@link maximum} is the elementwise form. Float formats: if any
 * element is a NaN the result is the first NaN in index order, quieted, with invalid if any element
 * is a signalling NaN; otherwise the largest value, +0 over -0, and the first of equal codes. That is
 * the fold m ← maximum(m, x) in increasing index from m = maximum(x0, x0). Fixed formats: the largest
 * raw value. An empty axis is a `RangeError` (a maximum of nothing is undefined).
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.fp16, [2, 3], [1, 5, -2, -0, NaN, 7]).tensor;
 * toNumbers(max(t, 1).tensor); // => Float64Array [5, NaN]
 * toNumbers(max(t, 0).tensor); // => Float64Array [1, NaN, 7]
 * ```
 */
export function max<S extends TensorSpec>(t: Tensor<S>, axis: number | null): TensorResult<S> {
  checkTensor('max', t, 't');
  const s: TensorSpec = t.spec;
  let flags = 0;
  const box = { flags: 0 };
  const out = reduceLoop(
    'max',
    t,
    axis,
    t.spec,
    s.kind === 'float'
      ? (data, first, step, n) => {
          let m = maxFloat(s, data[first]!, data[first]!, box);
          for (let i = 1, p = first + step; i < n; i++, p += step) m = maxFloat(s, m, data[p]!, box);
          return m;
        }
      : (data, first, step, n) => {
          let m = data[first]!;
          for (let i = 1, p = first + step; i < n; i++, p += step) if (data[p]! > m) m = data[p]!;
          return m;
        },
    true,
  );
  flags = box.flags;
  return { tensor: out, flags };
}
