#!/usr/bin/env node
// The mechanism behind Wang 2018's chunk-based accumulation, measured on real operands: one LeNet
// step (batch 32, the first 32 embedded training digits standardised as the CLI does, seed 1) under
// the Wang FP8 recipe captures each layer's input activations and incoming errors (FP8 / (1,6,9)
// codes); then each layer's weight gradient is recomputed from those same codes with three
// accumulators — chunk-64 (1,6,9), sequential (1,6,9) and exact — all rounding their result into
// fp32, so the only difference is the accumulation. Printed: the relative L2 distance from the exact
// gradient, and the number of products per dot product (K). Usage: node scripts/gemm-error.mjs
import { loadEmbeddedMnist } from '../dist/src/cli/data.js';
import { firstN, standardize } from '../dist/src/data/dataset.js';
import { buildModel, recipeByName, RunEnv, softmaxCrossEntropy, Conv2d } from '../dist/src/nn/index.js';
import { macUnit, catalog } from '../dist/src/index.js';
import { toNumbers, permute, matmul, conv2d, convert } from '../dist/src/tensor/index.js';

const data = standardize(firstN(loadEmbeddedMnist().train, 32, 'batch'));
const r = recipeByName('wang2018-chunk64');
const m = buildModel('lenet');
m.init(1, r);
const errs = [];
m.paramLayers.forEach((l, i) => {
  const orig = l.backward.bind(l);
  l.backward = (e, env, need) => ((errs[i] = e), orig(e, env, need));
});
const env = new RunEnv(1, 0);
const logits = m.forward(data.images, 32, env, true);
const last = m.paramLayers[m.paramLayers.length - 1].precision;
m.backward(softmaxCrossEntropy(logits, data.labels, { errFormat: last.errors, ctx: last.rounding, scale: 256 }).grad, env);

const f169 = catalog.ibm_fp16_169;
const accs = {
  'chunk-64 (1,6,9)': { acc: { kind: 'float', format: f169 }, summation: { kind: 'chunked', chunk: 64, inner: { kind: 'float', format: f169 } } },
  'sequential (1,6,9)': { acc: { kind: 'float', format: f169 }, summation: { kind: 'sequential' } },
  exact: { acc: { kind: 'exact' }, summation: { kind: 'sequential' } },
};
console.log('| layer | K per weight-gradient dot product | non-zero products (mean) | chunk-64 (1,6,9) | sequential (1,6,9) |');
console.log('|---|---:|---:|---:|---:|');
const names = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'];
m.paramLayers.forEach((l, i) => {
  const x = l.x;
  // The error as the layer uses it: converted into its error format (ties to even) when it arrives in another.
  const e = errs[i].spec.name === l.precision.errors.name ? errs[i] : convert(errs[i], l.precision.errors).tensor;
  const g = {};
  let K = 0;
  for (const [name, a] of Object.entries(accs)) {
    const conv = l instanceof Conv2d;
    const u = macUnit({ a: conv ? x.spec : e.spec, b: conv ? e.spec : x.spec, product: { kind: 'exact' }, fused: true, ...a, output: { format: catalog.fp32 } });
    const t = conv ? conv2d(u, permute(x, [1, 0, 2, 3]), permute(e, [1, 0, 2, 3])).tensor : matmul(u, e, x, { transposeA: true }).tensor;
    g[name] = toNumbers(t);
    K = conv ? e.shape[0] * e.shape[2] * e.shape[3] : e.shape[0];
  }
  const ex = g.exact;
  const rel = (v) => {
    let num = 0, den = 0;
    for (let j = 0; j < ex.length; j++) { num += (v[j] - ex[j]) ** 2; den += ex[j] ** 2; }
    return Math.sqrt(num / den);
  };
  // Non-zero products per dot product, averaged: count non-zero (x, e) pairs over the K positions.
  const xv = toNumbers(x), ev = toNumbers(e);
  const nzx = xv.filter((v) => v !== 0).length / xv.length, nze = ev.filter((v) => v !== 0).length / ev.length;
  console.log(`| ${names[i]} | ${K.toLocaleString('en-US')} | ≈ ${Math.round(K * nzx * nze).toLocaleString('en-US')} | ${rel(g['chunk-64 (1,6,9)']).toExponential(2)} | ${rel(g['sequential (1,6,9)']).toExponential(2)} |`);
});
