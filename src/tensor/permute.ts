import { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';
import { describe, fmt } from './_internal/shape.js';

/**
 * A view with the axes reordered, sharing the data: axis k of the result is axis `axes[k]` of `t`
 * (NumPy's `transpose(t, axes)`). `axes` must be a permutation of 0..ndim-1 (negative axes count
 * from the end).
 *
 * @example
 * ```ts
 * const t = tensor(catalog.e4m3fn, [2, 3, 4]);
 * permute(t, [2, 0, 1]).shape; // => [4, 2, 3]
 * permute(t, [2, 0, 1]).strides; // => [1, 12, 4]
 * ```
 */
export function permute<S extends TensorSpec>(t: Tensor<S>, axes: readonly number[]): Tensor<S> {
  const nd = t.ndim;
  if (!Array.isArray(axes) || axes.length !== nd) {
    throw new RangeError(`permute: axes must be a permutation of 0..${nd - 1} (${nd} axes for shape ${fmt(t.shape)}), got ${describe(axes)}`);
  }
  const seen = new Array<boolean>(nd).fill(false);
  const shape: number[] = [];
  const strides: number[] = [];
  for (const a of axes) {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -nd || a >= nd || seen[a < 0 ? a + nd : a]) {
      throw new RangeError(`permute: axes must be a permutation of 0..${nd - 1} (each axis once), got ${describe(axes)}`);
    }
    const k = a < 0 ? a + nd : a;
    seen[k] = true;
    shape.push(t.shape[k]!);
    strides.push(t.strides[k]!);
  }
  return new Tensor(t.spec, t.data, shape, strides, t.offset);
}

/**
 * A view with the axes reversed (a matrix transpose for 2-d tensors), or permuted by `axes` as
 * {@link permute}. Shares the data.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.fp16, [2, 3], [1, 2, 3, 4, 5, 6]).tensor;
 * transpose(t).shape; // => [3, 2]
 * toNumbers(transpose(t)); // => Float64Array [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transpose<S extends TensorSpec>(t: Tensor<S>, axes?: readonly number[]): Tensor<S> {
  if (axes !== undefined) return permute(t, axes);
  const rev: number[] = [];
  for (let k = t.ndim - 1; k >= 0; k--) rev.push(k);
  return permute(t, rev);
}
