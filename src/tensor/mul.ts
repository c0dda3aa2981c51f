import { mul as mulScalar } from '../ops/float/mul.js';
import { fixedMul } from '../ops/fixed/fixedMul.js';
import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import type { ElementwiseOptions } from './elementwise-options.js';
import { arith } from './_internal/arith.js';

/**
 * a × b elementwise, with NumPy broadcasting, every element by the scalar `mul` (exact product
 * rounded once) or `fixedMul`; formats, stochastic indices and flags as {@link add}.
 *
 * @example
 * ```ts
 * const s8 = parseFixedFormat('ap_fixed<8,4>');
 * const a = fromNumbers(s8, [2], [1.5, -2.25]).tensor;
 * const b = fromNumbers(s8, [2, 1], [2, 0.5]).tensor;
 * const { tensor: p } = mul(a, b, { format: parseFixedFormat('ap_fixed<16,8>') });
 * p.shape; // => [2, 2]
 * toNumbers(p); // => Float64Array [3, -4.5, 0.75, -1.125]
 * ```
 */
export function mul(a: Tensor, b: Tensor, opts: ElementwiseOptions = {}): TensorResult {
  return arith('mul', mulScalar, fixedMul, a, b, opts);
}
