import { decode } from '../ops/float/decode.js';
import { fixedToNumber } from '../ops/fixed/fixedToNumber.js';
import type { Tensor } from './tensor.js';
import { each1 } from './_internal/iterate.js';

/**
 * The values of a tensor's elements as JavaScript numbers, in row-major order of its shape (views
 * are read through their strides). Exact for every float format (each value fits binary64) and for
 * fixed formats whose values lie in binary64's range (others round once, to nearest even).
 *
 * @example
 * ```ts
 * toNumbers(tensor(catalog.e2m1fn, [4], Uint8Array.of(0x1, 0x7, 0x9, 0xf))); // => Float64Array [0.5, 6, -0.5, -6]
 * toNumbers(tensor(parseFixedFormat('s8.4'), [2], Int8Array.of(24, -128))); // => Float64Array [1.5, -8]
 * ```
 */
export function toNumbers(t: Tensor): Float64Array {
  const out = new Float64Array(t.size);
  const data = t.data;
  const s = t.spec;
  if (s.kind === 'float') each1(t.shape, t.strides, t.offset, (k, p) => (out[k] = decode(s, data[p]!)));
  else each1(t.shape, t.strides, t.offset, (k, p) => (out[k] = fixedToNumber(s, data[p]!)));
  return out;
}
