import { encode } from '../ops/float/encode.js';
import { Tensor } from './tensor.js';
import { checkSpec, codeArrayCtor, type TensorSpec } from './storage.js';
import { checkShape, sizeOf } from './_internal/shape.js';

/**
 * A contiguous tensor of +0. Throws a `RangeError` for a format without zero (e8m0fnu).
 *
 * @example
 * ```ts
 * zeros(catalog.bf16, [2, 2]).data; // => Uint16Array [0, 0, 0, 0]
 * zeros(catalog.e8m0fnu, [2]);
 * // throws RangeError: spec: e8m0fnu has no zero; tensor(spec, shape) fills with code 0 (2^-127), fromNumbers encodes values
 * ```
 */
export function zeros<S extends TensorSpec>(spec: S, shape: readonly number[]): Tensor<S> {
  checkSpec(spec);
  const sh = checkShape(shape);
  const data = new (codeArrayCtor(spec))(sizeOf(sh));
  if (spec.kind === 'float') {
    const z = encode(spec, 0);
    if (z.flags !== 0) {
      throw new RangeError(`spec: ${spec.name} has no zero; tensor(spec, shape) fills with code 0 (2^${spec.emin}), fromNumbers encodes values`);
    }
    if (z.code !== 0) data.fill(z.code as number);
  }
  return new Tensor(spec, data, sh);
}
