/**
 * bitexact: bit-accurate emulation of low-precision arithmetic.
 * The semantics are in `docs/semantics.md`; the architecture in `docs/architecture.md`.
 */
export { Flag, formatFlags, type Flags } from './flags.js';
export { context, DEFAULT_CONTEXT, ROUNDING_MODES, type Context, type ContextOptions, type RoundingMode, type Tininess } from './round/modes.js';
export { srBits, srUniform } from './round/random.js';
export { exactFromNumber, type ExactValue } from './formats/exact.js';
export { floatFormat, isFloatSpec, type FloatSpec, type FloatFormatOptions, type Specials, type OverflowPolicy } from './formats/float.js';
export { catalog, catalogFormat, CATALOG, type CatalogEntry } from './formats/catalog.js';
export { parseFloatFormat } from './formats/parse-float.js';
export * from './ops/float/index.js';
export {
  fixedFormat,
  parseFixedFormat,
  formatFixedName,
  FIXED_QUANTS,
  FIXED_OVERFLOWS,
  type FixedSpec,
  type FixedFormatOptions,
  type FixedQuant,
  type FixedOverflow,
  type FixedRaw,
  type FixedResult,
} from './formats/fixed.js';
export * from './ops/fixed/index.js';
export { parseFormat, intFormat, ACCEPTED_FORMATS, type ParsedFormat, type IntFormat } from './formats/parse.js';
export * as testfloat from './vectors/testfloat.js';
export type { AnySpec, DotUnit, DotResult, MacStats } from './accum/types.js';
export { macUnit, codeToExact } from './accum/mac-unit.js';
export { validateMacSpec, type MacSpec, type AccumulatorSpec, type ProductSpec, type Summation } from './accum/mac-spec.js';
export { PRESETS, presetByName, macByName } from './accum/presets/index.js';
export { parseMacSpec } from './accum/parse-mac.js';
export { fusedAdderUnit, resolveFusedAdder, type FusedAdderParams } from './accum/fused-adder.js';
export { NVIDIA_PRESETS, NVIDIA_PRESET_PARAMS, nvidiaPreset } from './accum/presets/nvidia.js';
export { X86_PRESETS } from './accum/presets/x86.js';
export { PAPER_PRESETS } from './accum/presets/papers.js';
/** Tensors (one format plus a typed array of codes): `import { tensor } from 'bitexact'; tensor.fromNumbers(...)`. */
export * as tensor from './tensor/index.js';
/** Networks on bit-exact arithmetic: layers, models, recipes, training (`import { nn } from 'bitexact'`). */
export * as nn from './nn/index.js';
/** Datasets: the IDX parser and the dataset type. */
export { parseIdx, idxDataset, type IdxArray } from './data/idx.js';
export { subset, firstN, standardize, MNIST_MEAN, MNIST_STD, type Dataset, type Split } from './data/dataset.js';
