/**
 * MAC presets from the papers bitexact serves, and the plain integer/float units, each a MacSpec.
 * Where a paper leaves a detail open, the choice is written in the description and in
 * `docs/presets/papers.md`.
 */
import { catalog } from '../../formats/catalog.js';
import { floatFormat } from '../../formats/float.js';
import { fixedFormat } from '../../formats/fixed.js';
import { context } from '../../round/modes.js';
import { macUnit } from '../mac-unit.js';
import type { MacSpec } from '../mac-spec.js';
import { intFormat, type DotUnit } from '../types.js';

const fp16_169 = catalog.ibm_fp16_169;

/** Wang et al. 2018: FP8 (1,5,2) operands, exact products, (1,6,9) accumulation in chunks of 64. */
export const wang2018Chunk64: MacSpec = {
  name: 'wang2018-fp8-chunk64',
  a: catalog.e5m2,
  b: catalog.e5m2,
  product: { kind: 'exact' },
  fused: true,
  acc: { kind: 'float', format: fp16_169 },
  summation: { kind: 'chunked', chunk: 64, inner: { kind: 'float', format: fp16_169 } },
};

/** The same unit without chunking: one sequential (1,6,9) accumulator (the baseline Wang 2018 improves on). */
export const wang2018Sequential: MacSpec = { ...wang2018Chunk64, name: 'wang2018-fp8-sequential', summation: { kind: 'sequential' } };

/** Gupta et al. 2015: 16-bit fixed point operands (ap_fixed<16,4>), exact products summed in a wide accumulator, one rounding at the end. */
function gupta(name: string, quant: 'RND_CONV' | 'SR'): MacSpec {
  const op = fixedFormat({ width: 16, frac: 12, signed: true, quant: 'RND_CONV', overflow: 'SAT' });
  return {
    name,
    a: op,
    b: op,
    product: { kind: 'exact' },
    fused: true,
    acc: { kind: 'exact' },
    summation: { kind: 'sequential' },
    output: { format: fixedFormat({ width: 16, frac: 12, signed: true, quant, overflow: 'SAT' }), ctx: context({ srBits: 16 }) },
  };
}
export const gupta2015Nearest = gupta('gupta2015-fixed16-nearest', 'RND_CONV');
export const gupta2015Stochastic = gupta('gupta2015-fixed16-sr', 'SR');

/**
 * Sakr et al. 2019: a float accumulator with m mantissa bits (8 exponent bits, subnormals), fp16
 * operands, exact products, one rounding per MAC; optionally chunked.
 */
export function sakr2019(m: number, chunk?: number): MacSpec {
  const acc = floatFormat({ expBits: 8, manBits: m, name: `e8m${m}` });
  return {
    name: chunk ? `sakr2019-acc-m${m}-chunk${chunk}` : `sakr2019-acc-m${m}`,
    a: catalog.fp16,
    b: catalog.fp16,
    product: { kind: 'exact' },
    fused: true,
    acc: { kind: 'float', format: acc },
    summation: chunk ? { kind: 'chunked', chunk, inner: { kind: 'float', format: acc } } : { kind: 'sequential' },
  };
}

function intUnit(name: string, overflow: 'wrap' | 'saturate'): MacSpec {
  return {
    name,
    a: intFormat(8, true),
    b: intFormat(8, true),
    product: { kind: 'exact' },
    fused: true,
    acc: { kind: 'int', format: intFormat(32, true), overflow },
    summation: { kind: 'sequential' },
  };
}
/** int8 × int8 → int32, wrapping on every addition (two's complement: the order does not matter). */
export const int8Int32Wrap = intUnit('int8-int32-wrap', 'wrap');
/** int8 × int8 → int32, saturating on every addition (here the order matters). */
export const int8Int32Sat = intUnit('int8-int32-sat', 'saturate');

/** fp32 × fp32 sequential FMA: acc = fma(a[i], b[i], acc), i = 0 … K-1, starting from c. */
export const fp32SequentialFma: MacSpec = {
  name: 'fp32-seq-fma',
  a: catalog.fp32,
  b: catalog.fp32,
  product: { kind: 'exact' },
  fused: true,
  acc: { kind: 'float', format: catalog.fp32 },
  summation: { kind: 'sequential' },
};

/** bf16 × bf16 → fp32: exact products (a bf16 product is exact in fp32), sequential fused fp32 accumulation. */
export const bf16Fp32: MacSpec = { ...fp32SequentialFma, name: 'bf16-fp32', a: catalog.bf16, b: catalog.bf16 };

/** Every preset of this file as a DotUnit, with a one-line description and source. */
export const PAPER_PRESETS: readonly DotUnit[] = [
  macUnit(wang2018Chunk64, { description: 'FP8 (1,5,2) × (1,5,2), exact products, (1,6,9) accumulation in chunks of 64 (RNE)', source: 'Wang et al., NeurIPS 2018' }),
  macUnit(wang2018Sequential, { description: 'FP8 (1,5,2) × (1,5,2), one sequential (1,6,9) accumulator (RNE)', source: 'Wang et al., NeurIPS 2018 (baseline)' }),
  macUnit(gupta2015Nearest, { description: 'fixed <16,4> × <16,4>, exact wide accumulation, one round-to-nearest-even at the end', source: 'Gupta et al., ICML 2015' }),
  macUnit(gupta2015Stochastic, { description: 'fixed <16,4> × <16,4>, exact wide accumulation, one stochastic rounding at the end', source: 'Gupta et al., ICML 2015' }),
  macUnit(sakr2019(8), { description: 'fp16 × fp16, fp accumulator with 8 mantissa bits, sequential', source: 'Sakr et al., ICLR 2019' }),
  macUnit(sakr2019(8, 64), { description: 'fp16 × fp16, fp accumulator with 8 mantissa bits, chunks of 64', source: 'Sakr et al., ICLR 2019' }),
  macUnit(int8Int32Wrap, { description: 'int8 × int8 → int32, wrapping', source: 'two\'s complement integer MAC' }),
  macUnit(int8Int32Sat, { description: 'int8 × int8 → int32, saturating on every addition', source: 'saturating integer MAC' }),
  macUnit(fp32SequentialFma, { description: 'fp32 sequential fused multiply-add from c', source: 'IEEE 754 fusedMultiplyAdd in index order' }),
  macUnit(bf16Fp32, { description: 'bf16 × bf16 → fp32, exact products, sequential fused fp32 accumulation', source: 'mixed-precision bf16 GEMM' }),
];
