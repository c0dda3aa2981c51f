import { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';
import { checkShape, fmt } from './_internal/shape.js';

/**
 * The shape that operands of the given shapes broadcast to, by NumPy's rule: shapes are aligned on
 * their last axis; missing leading axes count as size 1; along each axis the sizes must be equal or
 * 1, and the result takes the larger. Throws a `RangeError` naming both shapes and the axis.
 *
 * @example
 * ```ts
 * broadcastShapes([[2, 1, 4], [3, 1]]); // => [2, 3, 4]
 * broadcastShapes([[2, 3], [4, 3]]);
 * // throws RangeError: broadcastShapes: shapes [2,3] (shape 0) and [4,3] (shape 1) do not broadcast: at axis 0 of the result, ...
 * ```
 */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  if (!Array.isArray(shapes)) throw new TypeError('broadcastShapes: shapes must be an array of shapes');
  return broadcastNamed(
    'broadcastShapes',
    shapes.map((s, i) => [`shape ${i}`, checkShape(s, `shapes[${i}]`)] as const),
  );
}

/**
 * The broadcast shape of named operands, with a message naming the operation, both shapes and the axis.
 * @internal
 */
export function broadcastNamed(op: string, named: readonly (readonly [string, readonly number[]])[]): number[] {
  let nd = 0;
  for (const [, s] of named) nd = Math.max(nd, s.length);
  const out = new Array<number>(nd).fill(1);
  const owner = new Array<number>(nd).fill(-1); // which operand set out[j] to a size ≠ 1
  named.forEach(([name, s], k) => {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i]!;
      if (d === 1) continue;
      if (out[j] === 1 && owner[j] === -1) {
        out[j] = d;
        owner[j] = k;
      } else if (out[j] !== d) {
        const [oname, os] = named[owner[j]!]!;
        const oi = j - (nd - os.length);
        throw new RangeError(
          `${op}: shapes ${fmt(os)} (${oname}) and ${fmt(s)} (${name}) do not broadcast: at axis ${j} of the result, ` +
            `${oname} has size ${out[j]} (its axis ${oi}) and ${name} has size ${d} (its axis ${i}); sizes must be equal, or 1`,
        );
      }
    }
  });
  return out;
}

/**
 * The strides of `t` seen as a tensor of the (already checked) broadcast shape `out`: 0 along new
 * leading axes and along axes of size 1 that are stretched.
 * @internal
 */
export function stridesFor(t: Tensor, out: readonly number[]): number[] {
  const nd = out.length;
  const lead = nd - t.ndim;
  const st = new Array<number>(nd).fill(0);
  for (let i = 0; i < t.ndim; i++) {
    st[lead + i] = t.shape[i] === 1 && out[lead + i] !== 1 ? 0 : t.strides[i]!;
  }
  return st;
}

/**
 * A read view of `t` with the given shape, by NumPy's broadcasting rule ({@link broadcastShapes}):
 * new leading axes and stretched axes of size 1 get stride 0, so every element of such an axis is
 * the same data position. Shares the data; writing through a broadcast view writes that one
 * position.
 *
 * @example
 * ```ts
 * const row = fromNumbers(catalog.e4m3fn, [3], [1, 2, 3]).tensor;
 * const m = broadcastTo(row, [2, 3]);
 * m.strides; // => [0, 1]
 * toNumbers(m); // => Float64Array [1, 2, 3, 1, 2, 3]
 * ```
 */
export function broadcastTo<S extends TensorSpec>(t: Tensor<S>, shape: readonly number[]): Tensor<S> {
  const out = checkShape(shape);
  if (out.length < t.ndim) {
    throw new RangeError(`broadcastTo: a ${t.ndim}-d tensor (shape ${fmt(t.shape)}) cannot be broadcast to the ${out.length}-d shape ${fmt(out)}`);
  }
  const lead = out.length - t.ndim;
  for (let i = 0; i < t.ndim; i++) {
    const d = t.shape[i]!;
    const o = out[lead + i]!;
    if (d !== o && d !== 1) {
      throw new RangeError(
        `broadcastTo: shape ${fmt(t.shape)} cannot be broadcast to ${fmt(out)}: its axis ${i} has size ${d}, ` +
          `axis ${lead + i} of the target ${o}; a size must equal the target or be 1`,
      );
    }
  }
  return new Tensor(t.spec, t.data, out, stridesFor(t, out), t.offset);
}
