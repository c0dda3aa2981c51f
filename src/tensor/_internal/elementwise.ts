/**
 * The loops of the elementwise operations: broadcast the operands, then call a scalar kernel once
 * per output element, in row-major order of the output, with the element's flat output index k (the
 * stochastic-rounding index). Flags are ORed into `fl`.
 * @internal
 */
import { Tensor } from '../tensor.js';
import { codeArrayCtor, type TensorSpec } from '../storage.js';
import type { TensorResult } from '../from-numbers.js';
import { broadcastNamed, stridesFor } from '../broadcast.js';
import { each1, each2 } from './iterate.js';
import { sizeOf } from './shape.js';

export interface FlagsBox {
  flags: number;
}

export type BinaryKernel = (ca: number, cb: number, k: number, fl: FlagsBox) => number;
export type UnaryKernel = (c: number, k: number, fl: FlagsBox) => number;

export function binaryLoop<S extends TensorSpec>(op: string, a: Tensor, b: Tensor, out: S, kernel: BinaryKernel): TensorResult<S> {
  const shape = broadcastNamed(op, [
    ['a', a.shape],
    ['b', b.shape],
  ]);
  const data = new (codeArrayCtor(out))(sizeOf(shape));
  const da = a.data;
  const db = b.data;
  const fl: FlagsBox = { flags: 0 };
  each2(shape, stridesFor(a, shape), a.offset, stridesFor(b, shape), b.offset, (k, pa, pb) => {
    data[k] = kernel(da[pa]!, db[pb]!, k, fl);
  });
  return { tensor: new Tensor(out, data, shape), flags: fl.flags };
}

export function unaryLoop<S extends TensorSpec>(t: Tensor, out: S, kernel: UnaryKernel): TensorResult<S> {
  const data = new (codeArrayCtor(out))(t.size);
  const d = t.data;
  const fl: FlagsBox = { flags: 0 };
  each1(t.shape, t.strides, t.offset, (k, p) => {
    data[k] = kernel(d[p]!, k, fl);
  });
  return { tensor: new Tensor(out, data, t.shape), flags: fl.flags };
}
