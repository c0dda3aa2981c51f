/**
 * Named training recipes (docs/recipes.md has a section per recipe with its citation and the choices
 * made where the paper is silent). Each is data: formats per role, a MAC model per GEMM, the update
 * rule and the loss scaling.
 */
import { catalog } from '../formats/catalog.js';
import { fixedFormat, type FixedSpec } from '../formats/fixed.js';
import { floatFormat } from '../formats/float.js';
import { DEFAULT_CONTEXT, context } from '../round/modes.js';
import type { TensorSpec } from '../tensor/storage.js';
import { int8Recipe } from './int8.js';
import { seqGemm, type GemmSpec, type Precision, type Recipe } from './policy.js';

const { fp32, fp16, e5m2, ibm_fp16_169: fp169 } = catalog;

function roles(w: TensorSpec, a: TensorSpec, e: TensorSpec, g: TensorSpec): Pick<Precision, 'weights' | 'activations' | 'errors' | 'gradients'> {
  return { weights: w, activations: a, errors: e, gradients: g };
}
function same(g: GemmSpec): Pick<Precision, 'forward' | 'backward' | 'gradient'> {
  return { forward: g, backward: g, gradient: g };
}

const SR = context({ rounding: 'sr', srBits: 16 });

/** fp32 everywhere; GEMMs accumulate sequentially in fp32 with one rounding per MAC (an FMA chain). */
export const fp32Reference: Recipe = {
  name: 'fp32',
  description: 'fp32 reference: fp32 weights/activations/errors/gradients, sequential fp32 FMA accumulation, rne',
  source: 'IEEE 754 binary32 arithmetic as a CPU runs it (one rounding per multiply-add)',
  precision: { ...roles(fp32, fp32, fp32, fp32), ...same(seqGemm(fp32)), rounding: DEFAULT_CONTEXT },
  update: { rounding: DEFAULT_CONTEXT },
  lossScaling: { kind: 'none' },
  lr: 0.01,
};

/** Gupta et al. 2015: 16-bit fixed point ⟨IL, FL⟩ everywhere, exact (wide) accumulation, one rounding per GEMM output. */
function gupta(fl: number, quant: 'SR' | 'RND_CONV'): Recipe {
  const f: FixedSpec = fixedFormat({ width: 16, frac: fl, signed: true, quant, overflow: 'SAT' });
  const g: GemmSpec = { product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' } };
  const mode = quant === 'SR' ? 'sr' : 'nearest';
  return {
    name: fl === 8 ? `gupta2015-${mode}` : `gupta2015-${mode}-fl${fl}`,
    description: `Gupta 2015: 16-bit fixed point <${16 - fl},${fl}> (${f.name}) for every role, exact accumulation, ${mode === 'sr' ? 'stochastic' : 'round-to-nearest'} rounding everywhere, updates included`,
    source: 'S. Gupta, A. Agrawal, K. Gopalakrishnan, P. Narayanan, "Deep Learning with Limited Numerical Precision", ICML 2015',
    precision: { ...roles(f, f, f, f), ...same(g), rounding: context({ srBits: 16 }) },
    update: { rounding: context({ srBits: 16 }), momentum: f },
    lossScaling: { kind: 'none' },
    lr: 0.01,
  };
}

/** Wang et al. 2018: FP8 (1,5,2) operands, (1,6,9) accumulation (chunk 64 or sequential), FP16 (1,6,9) stochastic updates. */
function wang(chunked: boolean): Recipe {
  const g: GemmSpec = {
    product: { kind: 'exact' },
    fused: true,
    acc: { kind: 'float', format: fp169 },
    summation: chunked ? { kind: 'chunked', chunk: 64, inner: { kind: 'float', format: fp169 } } : { kind: 'sequential' },
  };
  const wide = { ...roles(fp169, fp169, fp169, fp169) };
  return {
    name: chunked ? 'wang2018-chunk64' : 'wang2018-sequential',
    description: `Wang 2018: FP8 (1,5,2) weights/activations/errors/gradients, exact products into a (1,6,9) accumulator ${chunked ? 'in chunks of 64' : 'summed sequentially (no chunking)'}, (1,6,9) master weights with stochastic rounding; first and last layers (1,6,9)`,
    source: 'N. Wang, J. Choi, D. Brand, C.-Y. Chen, K. Gopalakrishnan, "Training Deep Neural Networks with 8-bit Floating Point Numbers", NeurIPS 2018',
    precision: { ...roles(e5m2, e5m2, e5m2, e5m2), ...same(g), rounding: DEFAULT_CONTEXT },
    first: wide,
    last: wide,
    update: { master: fp169, momentum: fp169, rounding: SR },
    lossScaling: { kind: 'static', scale: 2 ** 8 },
    lr: 0.01,
  };
}

/** HFP8's forward format with saturation on overflow (hardware saturates; the paper does not say). */
export const hfp8Fwd = floatFormat({ expBits: 4, manBits: 3, bias: 11, specials: 'fnuz', overflow: 'saturate' });
/** HFP8's backward format 1-5-2 with saturation on overflow. */
export const hfp8Bwd = floatFormat({ expBits: 5, manBits: 2, overflow: 'saturate' });

/** Sun et al. 2019 HFP8: 1-4-3 (bias 11) weights and activations, 1-5-2 errors and gradients. */
export const hfp8: Recipe = {
  name: 'hfp8',
  description: 'Sun 2019 HFP8: 1-4-3 (bias 11) weights/activations, 1-5-2 errors/gradients, (1,6,9) chunk-64 accumulation, (1,6,9) master weights, stochastic updates; first/last layers (1,6,9)',
  source: 'X. Sun, J. Choi, C.-Y. Chen, N. Wang, S. Venkataramani, V. Srinivasan, X. Cui, W. Zhang, K. Gopalakrishnan, "Hybrid 8-bit Floating Point (HFP8) Training and Inference for Deep Neural Networks", NeurIPS 2019',
  precision: {
    ...roles(hfp8Fwd, hfp8Fwd, hfp8Bwd, hfp8Bwd),
    ...same({ product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: fp169 }, summation: { kind: 'chunked', chunk: 64, inner: { kind: 'float', format: fp169 } } }),
    rounding: DEFAULT_CONTEXT,
  },
  first: roles(fp169, fp169, fp169, fp169),
  last: roles(fp169, fp169, fp169, fp169),
  update: { master: fp169, momentum: fp169, rounding: SR },
  lossScaling: { kind: 'static', scale: 2 ** 8 },
  lr: 0.01,
};

/** Micikevicius et al. 2017: fp16 storage, fp32 accumulation, fp32 master weights, dynamic loss scaling. */
export const micikevicius: Recipe = {
  name: 'micikevicius2017',
  description: 'Micikevicius 2017 mixed precision: fp16 weights/activations/errors/gradients, fp16 products accumulated in fp32, fp32 master weights and update, dynamic loss scaling',
  source: 'P. Micikevicius et al., "Mixed Precision Training", ICLR 2018 (arXiv:1710.03740, 2017)',
  precision: { ...roles(fp16, fp16, fp16, fp16), ...same(seqGemm(fp32)), rounding: DEFAULT_CONTEXT },
  update: { master: fp32, rounding: DEFAULT_CONTEXT },
  lossScaling: { kind: 'dynamic', init: 2 ** 12, growthInterval: 100 },
  lr: 0.01,
};

/** A precision schedule: Gupta fixed16 with stochastic rounding for epoch 0, then the fp32 reference. */
export const twoPhase: Recipe = {
  ...gupta(8, 'SR'),
  name: 'two-phase-fixed16-fp32',
  description: 'precision schedule: Gupta fixed16 <8,8> with stochastic rounding in epoch 0, fp32 from epoch 1 on (low-precision first, wide to finish)',
  schedule: [{ epoch: 1, recipe: 'fp32' }],
};

/** Every recipe, by name. */
export const RECIPES: readonly Recipe[] = [
  fp32Reference,
  gupta(8, 'SR'),
  gupta(8, 'RND_CONV'),
  gupta(10, 'SR'),
  gupta(10, 'RND_CONV'),
  gupta(14, 'SR'),
  gupta(14, 'RND_CONV'),
  wang(true),
  wang(false),
  hfp8,
  micikevicius,
  twoPhase,
  int8Recipe,
];

/** The recipe named `name`; a `RangeError` listing the recipes otherwise. */
export function recipeByName(name: string): Recipe {
  const r = RECIPES.find((x) => x.name === name);
  if (!r) throw new RangeError(`recipe ${JSON.stringify(name)}: unknown; available: ${RECIPES.map((x) => x.name).join(', ')}`);
  return r;
}
