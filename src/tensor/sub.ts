import { sub as subScalar } from '../ops/float/sub.js';
import { fixedSub } from '../ops/fixed/fixedSub.js';
import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import type { ElementwiseOptions } from './elementwise-options.js';
import { arith } from './_internal/arith.js';

/**
 * a - b elementwise, with NumPy broadcasting, every element by the scalar `sub` or `fixedSub`;
 * formats, stochastic indices and flags as {@link add}.
 *
 * @example
 * ```ts
 * const u8 = parseFixedFormat('ap_ufixed<8,4,AP_TRN,AP_SAT>');
 * const a = fromNumbers(u8, [3], [1, 2, 3]).tensor;
 * const { tensor: d, flags } = sub(a, fromNumbers(u8, [], [2]).tensor);
 * toNumbers(d); // => Float64Array [0, 0, 1] (1 - 2 saturates at 0)
 * flags; // => 4 (overflow)
 * ```
 */
export function sub(a: Tensor, b: Tensor, opts: ElementwiseOptions = {}): TensorResult {
  return arith('sub', subScalar, fixedSub, a, b, opts);
}
