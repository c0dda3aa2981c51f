import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import { checkTensor, sameFormat } from './_internal/formats.js';
import { binaryLoop } from './_internal/elementwise.js';
import { maxFloat } from './_internal/max.js';

/**
 * The larger of a and b elementwise, with NumPy broadcasting (NumPy's `maximum`; {@link max} is the
 * reduction). Both operands have one format, which is the result's. Float formats follow IEEE
 * 754-2019 `maximum`: a NaN operand gives the first NaN (a before b), quieted, with invalid when
 * either operand is a signalling NaN (the NaN rule of `docs/semantics.md` §3); -0 < +0; equal values
 * give a's code. Fixed formats compare raw values. No rounding happens, so no other flag is raised.
 *
 * @example
 * ```ts
 * const a = fromNumbers(catalog.fp16, [4], [1, -0, NaN, -3]).tensor;
 * const b = fromNumbers(catalog.fp16, [4], [2, 0, 5, -4]).tensor;
 * toNumbers(maximum(a, b).tensor); // => Float64Array [2, 0, NaN, -3] (the 0 is +0)
 * ```
 */
export function maximum(a: Tensor, b: Tensor): TensorResult {
  checkTensor('maximum', a, 'a');
  checkTensor('maximum', b, 'b');
  const s = a.spec;
  if (!sameFormat(s, b.spec)) {
    throw new TypeError(`maximum: a is ${s.name} and b is ${b.spec.name}; the operands must share one format (convert one of them first)`);
  }
  if (s.kind === 'float') return binaryLoop('maximum', a, b, s, (x, y, _k, fl) => maxFloat(s, x, y, fl));
  return binaryLoop('maximum', a, b, s, (x, y) => (y > x ? y : x));
}
