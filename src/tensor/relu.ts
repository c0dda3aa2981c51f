import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import { checkTensor } from './_internal/formats.js';
import { unaryLoop } from './_internal/elementwise.js';
import { maxFloat } from './_internal/max.js';

/**
 * max(x, +0) elementwise ({@link maximum} against +0): negative values and -0 become +0, a NaN stays
 * a NaN (quieted; invalid if it was signalling). Formats without negative values (unsigned fixed,
 * e8m0fnu) are copied unchanged. Returns a new contiguous tensor in the same format.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.e4m3fn, [4], [-2, -0, 0.5, NaN]).tensor;
 * relu(t).tensor.data; // => Uint8Array [0x00, 0x00, 0x30, 0x7f]
 * ```
 */
export function relu(t: Tensor): TensorResult {
  checkTensor('relu', t, 't');
  const s = t.spec;
  if (s.kind === 'float') {
    if (!s.signed) return unaryLoop(t, s, (c) => c);
    return unaryLoop(t, s, (c, _k, fl) => maxFloat(s, c, 0, fl));
  }
  return unaryLoop(t, s, (c) => (c < 0 ? 0 : c));
}
