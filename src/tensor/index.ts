/**
 * The tensor engine (`docs/tensors.md`): tensors of codes with shape and strides, views without
 * copies, elementwise operations with NumPy broadcasting through the scalar operations, reductions
 * through an accumulator, and `ndarray` interop. Names that clash with the scalar operations (add,
 * sub, mul, convert, max) live here, apart from the package root.
 */
export { Tensor, tensor } from './tensor.js';
export { storageOf, codeArray, type TensorSpec, type CodeData, type CodeArrayName } from './storage.js';
export { fromNumbers, type TensorResult } from './from-numbers.js';
export { zeros } from './zeros.js';
export { toNumbers } from './to-numbers.js';
export { slice, type SliceSpec, type Range } from './slice.js';
export { permute, transpose } from './permute.js';
export { reshape } from './reshape.js';
export { isContiguous, contiguous, copy } from './contiguous.js';
export { broadcastTo, broadcastShapes } from './broadcast.js';
export type { ElementwiseOptions } from './elementwise-options.js';
export { add } from './add.js';
export { sub } from './sub.js';
export { mul } from './mul.js';
export { maximum } from './maximum.js';
export { relu } from './relu.js';
export { convert } from './convert.js';
export { accumulator, type Accumulator, type AccumulatorOptions, type AccumulatorStep } from './accumulator.js';
export { sum } from './sum.js';
export { max } from './max.js';
export { toNdarray, fromNdarray, type CodeNdarray, type FromNdarrayOptions } from './ndarray.js';
export { matmul, conv2d, maxPool2d, avgPool2d, type KernelResult, type MatmulOptions, type Conv2dOptions, type Pool2dOptions } from './kernels.js';
