/**
 * The GEMMs of the network layers, bit for bit against the test oracle. Under an exact-accumulation
 * recipe (every GEMM sums its products exactly and rounds once into fp32, rne), each output of a
 * layer's forward, backward-data and weight/bias-gradient pass must be the oracle's rounding of the
 * exact sum written here from the textbook definitions (dense: y = xWᵀ + b, dx = eW, dW = eᵀx,
 * db = Σ e; conv: cross-correlation with zero padding and its two adjoints), indexing naively. This
 * checks the geometry (flips, transposes, padding), the bias and the routing of every GEMM through
 * its unit. A second recipe with a chunked (1,6,9) accumulator checks that each GEMM's unit really
 * is the recipe's: the dense forward must equal the preset-built unit's dot products.
 */
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { DEFAULT_CONTEXT } from '../../src/round/modes.js';
import { fromNumbers, toNumbers, Tensor } from '../../src/tensor/index.js';
import { AvgPool2d, Conv2d, Dense, RunEnv, type GemmSpec, type Recipe } from '../../src/nn/index.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import { oRoundRational, fp32 as ofp32, e5m2 as oe5m2, type OCtx } from '../oracle/float.js';
import { rat, add, mul, div, ZERO, type ORational } from '../oracle/rational.js';
import { prod } from '../support/indices.js';

const RNE: OCtx = { mode: 'rne', tininess: 'after' };

/** The exact rational value of a finite binary64 number (bit decomposition, no library code). */
function q(x: number): ORational {
  if (x === 0) return ZERO;
  const f = new Float64Array([x]);
  const u = new BigUint64Array(f.buffer)[0]!;
  const neg = u >> 63n === 1n;
  const e = Number((u >> 52n) & 0x7ffn);
  let m = u & ((1n << 52n) - 1n);
  let ex = e - 1075;
  if (e === 0) ex = -1074;
  else m |= 1n << 52n;
  const s = neg ? -m : m;
  return ex >= 0 ? rat(s << BigInt(ex)) : rat(s, 1n << BigInt(-ex));
}

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return (x / 2 ** 32) * 2 - 1;
  };
}

function rand(shape: number[], seed: number): Tensor {
  const r = lcg(seed);
  return fromNumbers(catalog.fp32, shape, Array.from({ length: prod(shape) }, () => r())).tensor;
}

const exactGemm: GemmSpec = { product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' } };
const f32 = catalog.fp32;
const exactRecipe: Recipe = {
  name: 'exact-fp32',
  description: 'test',
  source: 'test',
  precision: { weights: f32, activations: f32, errors: f32, gradients: f32, forward: exactGemm, backward: exactGemm, gradient: exactGemm, rounding: DEFAULT_CONTEXT },
  update: { rounding: DEFAULT_CONTEXT },
  lossScaling: { kind: 'none' },
};

/** The oracle's fp32 code of an exact sum of products. */
function rounded(terms: [number, number][], c = 0): number {
  let s = q(c);
  for (const [a, b] of terms) s = add(s, mul(q(a), q(b)));
  return Number(oRoundRational(ofp32, s, RNE).code);
}

function codes(t: Tensor): number[] {
  return Array.from(toNumbers(t), (v) => new Uint32Array(new Float32Array([v]).buffer)[0]!);
}

describe('nn layers: GEMMs against the oracle (exact accumulation, one fp32 rounding)', () => {
  it('dense forward, backward-data, weight and bias gradients', () => {
    for (const [N, I, O, seed] of [[3, 5, 4, 1], [1, 7, 2, 2], [4, 1, 3, 3]] as const) {
      const layer = new Dense(I, O);
      layer.precision = exactRecipe.precision;
      const W = rand([O, I], seed * 10 + 1);
      const b = rand([O], seed * 10 + 2);
      layer.params.push({ name: 'W', value: W, fanIn: I }, { name: 'b', value: b, fanIn: I });
      const x = rand([N, I], seed * 10 + 3);
      const e = rand([N, O], seed * 10 + 4);
      const env = new RunEnv(1, 0);
      const y = layer.forward(x, env);
      const dx = layer.backward(e, env, true)!;
      const [xv, wv, bv, ev] = [x, W, b, e].map((t) => toNumbers(t));
      const X = (n: number, i: number) => xv![n * I + i]!;
      const Wt = (o: number, i: number) => wv![o * I + i]!;
      const E = (n: number, o: number) => ev![n * O + o]!;
      const yRef: number[] = [];
      for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) yRef.push(rounded(Array.from({ length: I }, (_, i) => [X(n, i), Wt(o, i)]), bv![o]!));
      expect(codes(y)).to.deep.equal(yRef);
      const dxRef: number[] = [];
      for (let n = 0; n < N; n++) for (let i = 0; i < I; i++) dxRef.push(rounded(Array.from({ length: O }, (_, o) => [E(n, o), Wt(o, i)])));
      expect(codes(dx)).to.deep.equal(dxRef);
      const dwRef: number[] = [];
      for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) dwRef.push(rounded(Array.from({ length: N }, (_, n) => [E(n, o), X(n, i)])));
      expect(codes(layer.W.grad!)).to.deep.equal(dwRef);
      expect(codes(layer.b.grad!)).to.deep.equal(Array.from({ length: O }, (_, o) => rounded(Array.from({ length: N }, (_, n) => [E(n, o), 1]))));
      expect(env.stats.forward.macs).to.equal(N * O * I);
      expect(env.stats.backward.macs).to.equal(N * I * O);
      expect(env.stats.gradient.macs).to.equal(O * I * N + O * N);
    }
  });

  it('conv2d forward, backward-data, weight and bias gradients (padding 0, 1, 2)', () => {
    for (const [N, C, O, H, Wd, k, p, seed] of [[2, 2, 3, 5, 6, 3, 0, 1], [1, 3, 2, 4, 4, 3, 1, 2], [2, 1, 2, 3, 5, 2, 1, 3], [1, 2, 2, 5, 5, 5, 2, 4]] as const) {
      const layer = new Conv2d(C, O, k, p);
      layer.precision = exactRecipe.precision;
      const W = rand([O, C, k, k], seed * 10 + 1);
      const b = rand([O], seed * 10 + 2);
      layer.params.push({ name: 'W', value: W, fanIn: C * k * k }, { name: 'b', value: b, fanIn: C * k * k });
      const x = rand([N, C, H, Wd], seed * 10 + 3);
      const HO = H + 2 * p - k + 1;
      const WO = Wd + 2 * p - k + 1;
      const e = rand([N, O, HO, WO], seed * 10 + 4);
      const env = new RunEnv(1, 0);
      const y = layer.forward(x, env);
      expect(y.shape).to.deep.equal([N, O, HO, WO]);
      const dx = layer.backward(e, env, true)!;
      const [xv, wv, bv, ev] = [x, W, b, e].map((t) => toNumbers(t));
      const X = (n: number, c: number, i: number, j: number) => (i < 0 || j < 0 || i >= H || j >= Wd ? 0 : xv![((n * C + c) * H + i) * Wd + j]!);
      const Wt = (o: number, c: number, i: number, j: number) => wv![((o * C + c) * k + i) * k + j]!;
      const E = (n: number, o: number, i: number, j: number) => (i < 0 || j < 0 || i >= HO || j >= WO ? 0 : ev![((n * O + o) * HO + i) * WO + j]!);
      // y[n,o,i,j] = Σ_{c,u,v} x[n,c,i+u-p,j+v-p]·W[o,c,u,v] + b[o]
      const yRef: number[] = [];
      for (let n = 0; n < N; n++)
        for (let o = 0; o < O; o++)
          for (let i = 0; i < HO; i++)
            for (let j = 0; j < WO; j++) {
              const t: [number, number][] = [];
              for (let c = 0; c < C; c++) for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) t.push([X(n, c, i + u - p, j + v - p), Wt(o, c, u, v)]);
              yRef.push(rounded(t, bv![o]!));
            }
      expect(codes(y)).to.deep.equal(yRef);
      // dx[n,c,a,b] = Σ_{o,u,v} e[n,o,a-u+p,b-v+p]·W[o,c,u,v]
      const dxRef: number[] = [];
      for (let n = 0; n < N; n++)
        for (let c = 0; c < C; c++)
          for (let a = 0; a < H; a++)
            for (let bb = 0; bb < Wd; bb++) {
              const t: [number, number][] = [];
              for (let o = 0; o < O; o++) for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) t.push([E(n, o, a - u + p, bb - v + p), Wt(o, c, u, v)]);
              dxRef.push(rounded(t));
            }
      expect(codes(dx)).to.deep.equal(dxRef);
      // dW[o,c,u,v] = Σ_{n,i,j} e[n,o,i,j]·x[n,c,i+u-p,j+v-p]; db[o] = Σ_{n,i,j} e[n,o,i,j]
      const dwRef: number[] = [];
      for (let o = 0; o < O; o++)
        for (let c = 0; c < C; c++)
          for (let u = 0; u < k; u++)
            for (let v = 0; v < k; v++) {
              const t: [number, number][] = [];
              for (let n = 0; n < N; n++) for (let i = 0; i < HO; i++) for (let j = 0; j < WO; j++) t.push([E(n, o, i, j), X(n, c, i + u - p, j + v - p)]);
              dwRef.push(rounded(t));
            }
      expect(codes(layer.W.grad!)).to.deep.equal(dwRef);
      const dbRef = Array.from({ length: O }, (_, o) => {
        const t: [number, number][] = [];
        for (let n = 0; n < N; n++) for (let i = 0; i < HO; i++) for (let j = 0; j < WO; j++) t.push([E(n, o, i, j), 1]);
        return rounded(t);
      });
      expect(codes(layer.b.grad!)).to.deep.equal(dbRef);
    }
  });

  it("each GEMM runs through the recipe's own unit (chunked (1,6,9) accumulation, e5m2 operands)", () => {
    const acc = catalog.ibm_fp16_169;
    const g: GemmSpec = { product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: acc }, summation: { kind: 'chunked', chunk: 4, inner: { kind: 'float', format: acc } } };
    const e5 = catalog.e5m2;
    const layer = new Dense(10, 3);
    layer.precision = { weights: e5, activations: e5, errors: e5, gradients: e5, forward: g, backward: g, gradient: g, rounding: DEFAULT_CONTEXT };
    const r = lcg(9);
    const W = fromNumbers(e5, [3, 10], Array.from({ length: 30 }, () => r() * 8)).tensor;
    const b = fromNumbers(e5, [3], [0.5, -1, 2]).tensor;
    layer.params.push({ name: 'W', value: W, fanIn: 10 }, { name: 'b', value: b, fanIn: 10 });
    const x = fromNumbers(e5, [2, 10], Array.from({ length: 20 }, () => r() * 100)).tensor;
    const y = layer.forward(x, new RunEnv(1, 0));
    // The same dot products through a unit built here from the spec (e5m2 operands, output e5m2, bias in (1,6,9)).
    const u = macUnit({ a: e5, b: e5, ...g, output: { format: e5 } });
    const acc169 = fromNumbers(acc, [3], [0.5, -1, 2]).tensor;
    const ref: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let o = 0; o < 3; o++) {
        const av = Array.from({ length: 10 }, (_, i) => x.data[n * 10 + i]!);
        const bv = Array.from({ length: 10 }, (_, i) => W.data[o * 10 + i]!);
        ref.push(Number(u.dot(av, bv, acc169.data[o]!, n * 3 + o).code));
      }
    expect(Array.from(y.data)).to.deep.equal(ref);
  });
});

describe('nn layers: average pooling against the oracle', () => {
  it('each output is the exact window mean rounded once; each error the exact share rounded once (e5m2)', () => {
    const f = catalog.e5m2;
    const r = lcg(17);
    const x = fromNumbers(f, [2, 3, 4, 6], Array.from({ length: 144 }, () => r() * 50)).tensor;
    const pool = new AvgPool2d(2);
    const env = new RunEnv(1, 0);
    const y = pool.forward(x, env, true);
    expect(y.shape).to.deep.equal([2, 3, 2, 3]);
    const xv = toNumbers(x);
    const ref: number[] = [];
    for (let nc = 0; nc < 6; nc++)
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++) {
          let s = ZERO;
          for (let u = 0; u < 2; u++) for (let v = 0; v < 2; v++) s = add(s, q(xv[nc * 24 + (2 * i + u) * 6 + 2 * j + v]!));
          ref.push(s.num === 0n ? 0 : Number(oRoundRational(oe5m2, div(s, rat(4n)), RNE).code));
        }
    expect(Array.from(y.data)).to.deep.equal(ref);
    const e = fromNumbers(f, [2, 3, 2, 3], Array.from({ length: 36 }, () => r() * 0.01)).tensor;
    const dx = pool.backward(e, env);
    const ev = toNumbers(e);
    for (let nc = 0; nc < 6; nc++)
      for (let a = 0; a < 4; a++)
        for (let b = 0; b < 6; b++) {
          const share = ev[nc * 6 + Math.floor(a / 2) * 3 + Math.floor(b / 2)]!;
          const want = share === 0 ? 0 : Number(oRoundRational(oe5m2, div(q(share), rat(4n)), RNE).code);
          expect(dx.data[nc * 24 + a * 6 + b], `${nc},${a},${b}`).to.equal(want);
        }
    expect(() => new AvgPool2d(3)).to.throw(RangeError, /size must be 1, 2, 4 or 8/);
  });
});
