#!/usr/bin/env node
// The mechanism behind Wang 2018's chunk-based accumulation, measured: one LeNet training step
// (batch 32, the first 32 embedded training digits, seed 1) under the Wang FP8 recipe with three
// accumulators — chunk-64 (1,6,9), sequential (1,6,9), and exact (Kulisch, one rounding into FP8) —
// and, per layer, the relative L2 distance of each weight gradient from the exact-accumulation one,
// with the number of products (K) each gradient dot product sums. Usage: node scripts/gemm-error.mjs
import { loadEmbeddedMnist } from '../dist/src/cli/data.js';
import { firstN } from '../dist/src/data/dataset.js';
import { buildModel, recipeByName, RunEnv, softmaxCrossEntropy } from '../dist/src/nn/index.js';
import { toNumbers } from '../dist/src/tensor/index.js';

const data = firstN(loadEmbeddedMnist().train, 32, 'batch');
const base = recipeByName('wang2018-chunk64');
const exactG = { product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' } };
const variants = {
  'chunk-64 (1,6,9)': base,
  'sequential (1,6,9)': recipeByName('wang2018-sequential'),
  exact: { ...base, name: 'exact', precision: { ...base.precision, forward: exactG, backward: exactG, gradient: exactG } },
};
const grads = {};
for (const [name, r] of Object.entries(variants)) {
  const m = buildModel('lenet');
  m.init(1, r);
  const env = new RunEnv(1, 0);
  const logits = m.forward(data.images, 32, env, true);
  const last = m.paramLayers[m.paramLayers.length - 1].precision;
  const L = softmaxCrossEntropy(logits, data.labels, { errFormat: last.errors, ctx: last.rounding, scale: 256 });
  m.backward(L.grad, env);
  grads[name] = m.paramLayers.map((l) => toNumbers(l.W.grad));
}
const K = ['32·24·24 = 18,432', '32·8·8 = 2,048', '32', '32', '32'];
console.log('| layer | K of each weight-gradient dot product | chunk-64 (1,6,9) | sequential (1,6,9) |');
console.log('|---|---:|---:|---:|');
const names = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'];
grads.exact.forEach((ge, i) => {
  const rel = (g) => {
    let num = 0, den = 0;
    for (let j = 0; j < ge.length; j++) { num += (g[j] - ge[j]) ** 2; den += ge[j] ** 2; }
    return Math.sqrt(num / den);
  };
  console.log(`| ${names[i]} | ${K[i]} | ${rel(grads['chunk-64 (1,6,9)'][i]).toFixed(4)} | ${rel(grads['sequential (1,6,9)'][i]).toFixed(4)} |`);
});
