/**
 * `npm run bench:train`: the time of one LeNet training step (batch 32, SGD with momentum) under the
 * fp32-reference, HFP8 and fixed16 (Gupta) recipes — every MAC of every GEMM bit-exact — next to the
 * same model and batch in @tensorflow/tfjs with its pure-JavaScript CPU backend (float32), measured in
 * the same run. Each round measures every contender (median of its steps after warm-up); the report
 * gives, per contender, the median over rounds of its step time and of its ratio to the tfjs step of
 * the same round. Options: --rounds N (default 3), --steps N (default 8).
 */
import * as tf from '@tensorflow/tfjs';
import { loadEmbeddedMnist } from '../src/cli/data.js';
import { firstN } from '../src/data/dataset.js';
import { buildModel, recipeByName, train } from '../src/nn/index.js';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const ROUNDS = opt('--rounds', 3);
const STEPS = opt('--steps', 8);
const WARM = 2;
const BATCH = 32;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

const data = loadEmbeddedMnist();
const d = firstN(data.train, BATCH * (STEPS + WARM), 'steps');

async function tfjsStep(): Promise<number> {
  await tf.setBackend('cpu');
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 120, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 84, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10 }));
  m.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
  const times: number[] = [];
  for (let s = 0; s < STEPS + WARM; s++) {
    const x = tf.tensor4d(Float32Array.from(d.images.subarray(s * BATCH * 784, (s + 1) * BATCH * 784)), [BATCH, 28, 28, 1], "float32");
    const y = tf.oneHot(tf.tensor1d(Array.from(d.labels.subarray(s * BATCH, (s + 1) * BATCH)), 'int32'), 10);
    const t0 = performance.now();
    await m.trainOnBatch(x, y);
    if (s >= WARM) times.push(performance.now() - t0);
    x.dispose();
    y.dispose();
  }
  m.dispose();
  return median(times);
}

function bitexactStep(recipe: string): number {
  const r = recipeByName(recipe);
  const model = buildModel('lenet');
  model.init(1, r);
  const times: number[] = [];
  let last = performance.now();
  train(model, r, d, {
    epochs: 1,
    batch: BATCH,
    lr: r.lr ?? 0.05,
    momentum: 0.9,
    seed: 1,
    onStep: (s) => {
      const now = performance.now();
      if (s.step >= WARM) times.push(now - last);
      last = now;
    },
  });
  return median(times);
}

const contenders = ['fp32', 'hfp8', 'gupta2015-sr'];
const rows = new Map<string, { ms: number[]; ratio: number[] }>();
const tfMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const base = await tfjsStep();
  tfMs.push(base);
  for (const c of contenders) {
    const ms = bitexactStep(c);
    const r = rows.get(c) ?? { ms: [], ratio: [] };
    r.ms.push(ms);
    r.ratio.push(ms / base);
    rows.set(c, r);
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}
console.log(`LeNet training step, batch ${BATCH}, median of ${STEPS} steps per round, ${ROUNDS} rounds (tfjs ${tf.version.tfjs}, cpu backend, float32)`);
console.log(`${'contender'.padEnd(30)} ${'ms/step'.padStart(9)} ${'× tfjs step'.padStart(12)}`);
console.log(`${'tfjs float32 (cpu)'.padEnd(30)} ${median(tfMs).toFixed(1).padStart(9)} ${'1.00'.padStart(12)}`);
for (const c of contenders) {
  const r = rows.get(c)!;
  console.log(`${('bitexact ' + c).padEnd(30)} ${median(r.ms).toFixed(1).padStart(9)} ${median(r.ratio).toFixed(2).padStart(12)}`);
}
