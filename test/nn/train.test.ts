/**
 * Training end to end on a few real MNIST digits (the embedded `mnist` package): determinism (same
 * seed, same weight bits; another seed, other bits), learning (the loss falls), the update rule
 * (stochastic vs nearest rounding of tiny updates, master weights), dynamic loss scaling (an
 * overflowing step is skipped and the scale halves), precision schedules, and clear errors.
 */
import { expect } from 'chai';
import { loadEmbeddedMnist } from '../../src/cli/data.js';
import { firstN, type Dataset } from '../../src/data/dataset.js';
import { buildModel, evaluate, recipeByName, train, RECIPES, type Recipe } from '../../src/nn/index.js';
import { weightsHash } from '../../src/nn/weights-io.js';
import { toNumbers } from '../../src/tensor/index.js';

let data: { train: Dataset; test: Dataset };
before(() => {
  data = loadEmbeddedMnist();
});

function run(recipe: Recipe, seed: number, o: { epochs?: number; n?: number; lr?: number; model?: string } = {}) {
  const model = buildModel(o.model ?? 'mlp:784-16-10');
  model.init(seed, recipe);
  const res = train(model, recipe, firstN(data.train, o.n ?? 128, 'n'), { epochs: o.epochs ?? 1, batch: 16, lr: o.lr ?? 0.05, momentum: 0.9, seed, recipeByName });
  return { model, res, hash: weightsHash(model) };
}

describe('nn training', function () {
  this.timeout(120000);

  it('the embedded split: 7,996 training and 2,004 test digits, every class in both, pixels in [0, 1]', () => {
    expect([data.train.n, data.test.n]).to.deep.equal([7996, 2004]);
    for (const d of [data.train, data.test]) {
      const counts = new Array(10).fill(0);
      for (const l of d.labels) counts[l]++;
      expect(Math.min(...counts)).to.be.greaterThan(100);
      expect(d.images.reduce((a, b) => Math.min(a, b), 1)).to.equal(0);
      expect(d.images.reduce((a, b) => Math.max(a, b), 0)).to.be.within(0.99, 1);
    }
    // The first ten training samples are one of each digit (balanced prefixes).
    expect(Array.from(data.train.labels.subarray(0, 10))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  for (const name of ['fp32', 'gupta2015-sr', 'wang2018-chunk64', 'hfp8', 'micikevicius2017']) {
    it(`${name}: the same seed gives the same weight bits; another seed other bits`, () => {
      const r = recipeByName(name);
      const a = run(r, 7, { n: 64 });
      const b = run(r, 7, { n: 64 });
      const c = run(r, 8, { n: 64 });
      expect(a.hash).to.equal(b.hash);
      expect(a.hash).to.not.equal(c.hash);
    });
  }

  it('LeNet under HFP8 runs forward, backward and update through every layer', () => {
    const r = recipeByName('hfp8');
    const { model, res } = run(r, 3, { n: 32, model: 'lenet' });
    expect(model.paramLayers.map((l) => l.precision.weights.name)).to.deep.equal([
      'ibm_fp16_169',
      r.precision.weights.name,
      r.precision.weights.name,
      r.precision.weights.name,
      'ibm_fp16_169',
    ]);
    expect(res.stats.forward.macs).to.be.greaterThan(0);
    expect(res.stats.gradient.swamped).to.be.greaterThan(0);
    for (const p of model.params) expect(p.master?.spec.name).to.equal('ibm_fp16_169');
  });

  it('training lowers the loss (fp32, 3 epochs of 256 digits)', () => {
    const { res } = run(recipeByName('fp32'), 1, { n: 256, epochs: 3, lr: 0.05 });
    const [e0, , e2] = res.epochs;
    expect(e2!.trainLoss).to.be.lessThan(e0!.trainLoss * 0.7);
  });

  it('updates far below the weights\' LSB: nearest leaves the weights unchanged, stochastic rounding moves them', () => {
    const lr = 1e-6;
    for (const [name, moves] of [['gupta2015-nearest', false], ['gupta2015-sr', true]] as const) {
      const r = recipeByName(name);
      const model = buildModel('mlp:784-16-10');
      model.init(5, r);
      const before = model.params.map((p) => Array.from(p.value.data));
      train(model, r, firstN(data.train, 32, 'n'), { epochs: 1, batch: 16, lr, momentum: 0, seed: 5 });
      const changed = model.params.some((p, i) => p.value.data.some((v, j) => v !== before[i]![j]));
      expect(changed, name).to.equal(moves);
    }
  });

  it('master weights: the working weights are the master weights rounded into the weights format', () => {
    const r = recipeByName('micikevicius2017');
    const { model } = run(r, 2, { n: 48 });
    for (const p of model.params) {
      const m = toNumbers(p.master!);
      const w = toNumbers(p.value);
      expect(p.master!.spec.name).to.equal('fp32');
      for (let i = 0; i < m.length; i++) expect(w[i]).to.equal(toF16(m[i]!));
    }
  });

  it('dynamic loss scaling skips an overflowing step and halves the scale', () => {
    const base = recipeByName('micikevicius2017');
    const r: Recipe = { ...base, name: 'mp-huge-scale', lossScaling: { kind: 'dynamic', init: 2 ** 40, growthInterval: 1000 } };
    const { res, model } = run(r, 1, { n: 64 });
    expect(res.skippedSteps).to.be.greaterThan(0);
    expect(res.epochs[0]!.lossScale).to.be.lessThan(2 ** 40);
    for (const p of model.params) expect(toNumbers(p.value).every(Number.isFinite)).to.equal(true);
  });

  it('a precision schedule switches formats at the given epoch', () => {
    const r = recipeByName('two-phase-fixed16-fp32');
    const { model, res } = run(r, 1, { n: 32, epochs: 2 });
    expect(res.epochs.map((e) => e.recipe)).to.deep.equal(['two-phase-fixed16-fp32', 'two-phase-fixed16-fp32→fp32']);
    expect(model.params.every((p) => p.value.spec.name === 'fp32')).to.equal(true);
  });

  it('evaluation is deterministic and counts the forward MACs', () => {
    const { model } = run(recipeByName('fp32'), 1, { n: 32 });
    const t = firstN(data.test, 50, 'n');
    const a = evaluate(model, t, 1);
    const b = evaluate(model, t, 1);
    expect(a).to.deep.equal(b);
    expect(a.stats.macs).to.equal(50 * (784 * 16 + 16 * 10));
  });

  it('clear errors: unknown recipe or model, bad options, inference-only recipes', () => {
    expect(() => recipeByName('nope')).to.throw(RangeError, /recipe "nope": unknown; available: fp32/);
    expect(() => buildModel('resnet')).to.throw(RangeError, /model "resnet": unknown; accepted: lenet, lenet-avg, mlp/);
    expect(() => buildModel('mlp:100-10')).to.throw(RangeError, /first size must be the flattened input, 784/);
    const r = recipeByName('fp32');
    const m = buildModel('mlp');
    m.init(1, r);
    const d = firstN(data.train, 10, 'n');
    expect(() => train(m, r, d, { epochs: 0, batch: 4, lr: 0.1, momentum: 0.9, seed: 1 })).to.throw(RangeError, /epochs: must be an integer >= 1, got 0/);
    expect(() => train(m, r, d, { epochs: 1, batch: 11, lr: 0.1, momentum: 0.9, seed: 1 })).to.throw(RangeError, /batch: 11 is larger than the 10 training samples/);
    expect(() => train(m, r, d, { epochs: 1, batch: 4, lr: -1, momentum: 0.9, seed: 1 })).to.throw(RangeError, /lr: must be a positive number/);
    expect(() => train(m, { ...r, inferenceOnly: true }, d, { epochs: 1, batch: 4, lr: 0.1, momentum: 0.9, seed: 1 })).to.throw(RangeError, /inference only/);
    expect(RECIPES.length).to.be.greaterThan(5);
  });
});

/** fp16 rounding of a binary64 value (ties to even), written independently for the master-weights test. */
function toF16(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.max(Math.floor(Math.log2(Math.abs(x))), -14);
  const ulp = 2 ** (e - 10);
  const q = x / ulp;
  let r = Math.round(q);
  if (Math.abs(q - Math.trunc(q)) === 0.5) r = 2 * Math.round(q / 2);
  return r * ulp;
}

describe('int8 inference (calibrated, int32 accumulation)', function () {
  this.timeout(120000);
  it('every forward GEMM is int8 × int8 into a wrapping int32 register, and accuracy stays close to fp32', async () => {
    const { calibrateInt8, evaluate: ev } = await import('../../src/nn/index.js');
    const d = loadEmbeddedMnist();
    const r = recipeByName('fp32');
    const model = buildModel('mlp:784-32-10');
    model.init(1, r);
    train(model, r, firstN(d.train, 512, 'n'), { epochs: 2, batch: 16, lr: 0.05, momentum: 0.9, seed: 1 });
    const test = firstN(d.test, 300, 'n');
    const f = ev(model, test, 1);
    const q = calibrateInt8(model, d.train, 256);
    model.setRecipe(q);
    for (const l of model.paramLayers) {
      expect(l.precision.weights.name).to.match(/^s8\.-?\d+:RND_CONV:SAT$/);
      expect(l.precision.activations.name).to.match(/^s8\./);
      const acc = l.precision.forward.acc;
      expect(acc.kind).to.equal('fixed');
      if (acc.kind === 'fixed') {
        expect(acc.format.width).to.equal(32);
        expect(acc.format.overflow).to.equal('WRAP');
        expect(acc.format.frac).to.equal((l.precision.activations as { frac: number }).frac + (l.precision.weights as { frac: number }).frac);
      }
      // Weights are now int8 codes: every raw value in -128..127, and they round-trip the fp32 values within half an LSB.
      for (const v of l.W.value.data) expect(v).to.be.within(-128, 127);
    }
    expect(model.paramLayers[0]!.precision.outputs!.name).to.equal(model.paramLayers[1]!.precision.activations.name);
    const i8 = ev(model, test, 1);
    expect(i8.accuracy).to.be.greaterThan(f.accuracy - 0.05);
    expect(() => train(model, recipeByName('int8'), firstN(d.train, 32, 'n'), { epochs: 1, batch: 16, lr: 0.1, momentum: 0.9, seed: 1 })).to.throw(/inference only/);
  });
});
