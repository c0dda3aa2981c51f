/**
 * Worker-thread matmul and conv2d: for 1, 2 and 3 threads the results, flags and statistics equal a
 * single-threaded `matmul` / `conv2d` exactly, for units on the fast paths and on the general engine, with
 * stochastic rounding (whose index must follow the element, not the thread), and with a bias; for any
 * number of blocks per thread (blocks go to whichever worker is free), and for consecutive and
 * concurrent calls (a worker keeps one call's B for that call's blocks only).
 */
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { fixedFormat } from '../../src/formats/fixed.js';
import { context } from '../../src/round/modes.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import type { MacSpec } from '../../src/accum/mac-spec.js';
import { conv2d, fromNumbers, matmul, tensor, type Tensor } from '../../src/tensor/index.js';
import type { DecodedB } from '../../src/tensor/kernels.js';
import { presetByName } from '../../src/accum/presets/index.js';
import { BLOCKS_PER_THREAD, MatmulPool } from '../../src/parallel/index.js';
import type { TensorSpec } from '../../src/tensor/storage.js';

function rand(f: TensorSpec, shape: number[], seed: number, scale: number): Tensor {
  let x = seed >>> 0;
  const n = shape.reduce((p, d) => p * d, 1);
  return fromNumbers(f, shape, Array.from({ length: n }, () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * scale)).tensor;
}

const f169 = catalog.ibm_fp16_169;
const s8 = fixedFormat({ width: 16, frac: 8, signed: true, quant: 'SR', overflow: 'SAT' });
const SPECS: MacSpec[] = [
  { a: catalog.e4m3fn, b: catalog.e4m3fn, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } },
  { a: catalog.e5m2, b: catalog.e5m2, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: f169, ctx: context({ rounding: 'sr', seed: 5 }) }, summation: { kind: 'chunked', chunk: 8, inner: { kind: 'float', format: f169, ctx: context({ rounding: 'sr', seed: 6 }) } } },
  { a: s8, b: s8, product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' }, output: { format: s8, ctx: context({ seed: 9, srBits: 16 }) } },
  { a: catalog.bf16, b: catalog.bf16, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.bf16 }, summation: { kind: 'tree', fanIn: 2 } },
];

describe('MatmulPool (worker threads)', function () {
  this.timeout(120000);
  for (const threads of [1, 2, 3]) {
    it(`${threads} thread(s): the same bits, flags and statistics as matmul`, async () => {
      const pool = new MatmulPool(threads);
      try {
        for (const [i, spec] of SPECS.entries()) {
          const [M, K, N] = [7 + i, 33, 5 + 2 * i];
          const A = rand(spec.a as TensorSpec, [M, K], 10 * i + 1, 6);
          const B = rand(spec.b as TensorSpec, [K, N], 10 * i + 2, 6);
          const u = macUnit(spec);
          const c = rand(u.c as TensorSpec, [N], 10 * i + 3, 2);
          const ref = matmul(u, A, B, { c });
          const got = await pool.matmul(spec, A, B, { c });
          expect(Array.from(got.tensor.data), `spec ${i}`).to.deep.equal(Array.from(ref.tensor.data));
          expect(got.flags, `spec ${i}`).to.equal(ref.flags);
          expect(got.stats, `spec ${i}`).to.deep.equal(ref.stats);
          const Bt = rand(spec.b as TensorSpec, [N, K], 10 * i + 4, 6);
          const ref2 = matmul(u, A, Bt, { transposeB: true });
          const got2 = await pool.matmul(spec, A, Bt, { transposeB: true });
          expect(Array.from(got2.tensor.data)).to.deep.equal(Array.from(ref2.tensor.data));
        }
      } finally {
        await pool.close();
      }
    });
  }
  for (const threads of [1, 2, 3]) {
    it(`${threads} thread(s): conv2d gives the same bits, flags and statistics (batch split)`, async () => {
      const pool = new MatmulPool(threads);
      try {
        for (const [i, spec] of SPECS.entries()) {
          const u = macUnit(spec);
          const X = rand(spec.a as TensorSpec, [5, 4, 7, 6], 10 * i + 5, 6);
          const W = rand(spec.b as TensorSpec, [6, 2, 3, 3], 10 * i + 6, 2);
          const bias = rand(u.c as TensorSpec, [6], 10 * i + 7, 2);
          const opts = { padding: 1, groups: 2, stride: [1, 2] as [number, number], bias };
          const ref = conv2d(u, X, W, opts);
          const got = await pool.conv2d(spec, X, W, opts);
          expect(got.tensor.shape, `spec ${i}`).to.deep.equal(ref.tensor.shape);
          expect(Array.from(got.tensor.data), `spec ${i}`).to.deep.equal(Array.from(ref.tensor.data));
          expect(got.flags, `spec ${i}`).to.equal(ref.flags);
          expect(got.stats, `spec ${i}`).to.deep.equal(ref.stats);
        }
        // Bad shapes are named by the kernel's own checks, before any work is sent.
        const spec = SPECS[0]!;
        const X = rand(catalog.e4m3fn, [2, 3, 5, 5], 1, 6);
        const W = rand(catalog.e4m3fn, [4, 2, 3, 3], 2, 6);
        let err: Error | undefined;
        await pool.conv2d(spec, X, W).catch((e: Error) => (err = e));
        expect(err?.message).to.match(/W's second dimension must be C \/ groups = 3, got 2/);
      } finally {
        await pool.close();
      }
    });
  }
  it('takes units with integer formats (int8-int32-sat) on fixed-point tensors with no fraction bits', async () => {
    const spec = (presetByName('int8-int32-sat') as unknown as { spec: MacSpec }).spec;
    const u = macUnit(spec);
    const i8 = fixedFormat({ width: 8, frac: 0 });
    const big = (shape: number[], seed: number) => {
      let x = seed;
      const n = shape.reduce((p, d) => p * d, 1);
      return tensor(i8, shape, Array.from({ length: n }, () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) % 256) - 128));
    };
    const A = big([9, 40], 1);
    const B = big([40, 7], 2);
    const c = tensor(fixedFormat({ width: 32, frac: 0 }), [7], [2 ** 31 - 1, -(2 ** 31), 5, 0, -3, 2 ** 31 - 70000, 17]);
    const ref = matmul(u, A, B, { c });
    expect(ref.stats.saturations).to.be.greaterThan(0);
    const pool = new MatmulPool(2);
    try {
      const got = await pool.matmul(spec, A, B, { c });
      expect(Array.from(got.tensor.data)).to.deep.equal(Array.from(ref.tensor.data));
      expect(got.stats).to.deep.equal(ref.stats);
      const X = big([3, 2, 5, 5], 3);
      const W = big([4, 2, 3, 3], 4);
      const want = conv2d(u, X, W);
      const conv = await pool.conv2d(spec, X, W);
      expect(Array.from(conv.tensor.data)).to.deep.equal(Array.from(want.tensor.data));
      expect(conv.stats).to.deep.equal(want.stats);
    } finally {
      await pool.close();
    }
  });
  for (const threads of [2, 3]) {
    it(`${threads} threads: conv2d of a single image splits its output channels (whole groups) with the same bits, flags and statistics`, async () => {
      const pool = new MatmulPool(threads);
      try {
        for (const [i, spec] of SPECS.entries()) {
          const u = macUnit(spec);
          for (const [groups, C, O] of [[1, 3, 7], [2, 4, 6], [3, 6, 9]] as const) {
            const X = rand(spec.a as TensorSpec, [1, C, 7, 6], 10 * i + groups, 6);
            const W = rand(spec.b as TensorSpec, [O, C / groups, 3, 2], 10 * i + groups + 1, 2);
            const bias = rand(u.c as TensorSpec, [O], 10 * i + 7, 2);
            const opts = { padding: [1, 0] as [number, number], groups, stride: [2, 1] as [number, number], bias };
            const ref = conv2d(u, X, W, opts);
            const got = await pool.conv2d(spec, X, W, opts);
            const what = `spec ${i}, groups ${groups}`;
            expect(got.tensor.shape, what).to.deep.equal(ref.tensor.shape);
            expect(Array.from(got.tensor.data), what).to.deep.equal(Array.from(ref.tensor.data));
            expect(got.flags, what).to.equal(ref.flags);
            expect(got.stats, what).to.deep.equal(ref.stats);
          }
        }
      } finally {
        await pool.close();
      }
    });
  }
  it('conv2d indexBase shifts the stochastic index: images computed alone equal their part of the batch', () => {
    const spec = SPECS[1]!;
    const u = macUnit(spec);
    const X = rand(catalog.e5m2, [3, 2, 6, 6], 3, 6);
    const W = rand(catalog.e5m2, [3, 2, 3, 3], 4, 6);
    const whole = conv2d(u, X, W).tensor.data;
    const per = 3 * 4 * 4;
    const last = fromNumbers(catalog.e5m2, [1, 2, 6, 6], new Array<number>(72).fill(0)).tensor;
    last.data.set(X.data.subarray(144, 216));
    expect(Array.from(conv2d(u, last, W, { indexBase: 2 * per }).tensor.data)).to.deep.equal(Array.from(whole.subarray(2 * per)));
    expect(Array.from(conv2d(u, last, W).tensor.data)).to.not.deep.equal(Array.from(whole.subarray(2 * per)));
    expect(() => conv2d(u, last, W, { indexBase: -1 })).to.throw(RangeError, /conv2d: indexBase must be a non-negative integer, got -1/);
  });
  it('indexBase shifts the stochastic index: a block computed alone equals the rows of the whole', () => {
    const spec = SPECS[1]!;
    const u = macUnit(spec);
    const A = rand(catalog.e5m2, [6, 20], 1, 6);
    const B = rand(catalog.e5m2, [20, 4], 2, 6);
    const whole = matmul(u, A, B).tensor.data;
    const lower = fromNumbers(catalog.e5m2, [3, 20], Array.from({ length: 60 }, (_, j) => 0)).tensor;
    lower.data.set(A.data.subarray(60, 120));
    const part = matmul(u, lower, B, { indexBase: 12 }).tensor.data;
    expect(Array.from(part)).to.deep.equal(Array.from(whole.subarray(12, 24)));
    const unshifted = matmul(u, lower, B).tensor.data;
    expect(Array.from(unshifted)).to.not.deep.equal(Array.from(whole.subarray(12, 24)));
    expect(() => new MatmulPool(0)).to.throw(RangeError, /threads: must be an integer in 1\.\.64, got 0/);
  });
  it('any number of blocks per thread gives the same bits, flags and statistics; bad values are refused', async () => {
    expect(BLOCKS_PER_THREAD).to.equal(4);
    for (const bpt of [1, 3, 5]) {
      const pool = new MatmulPool(2, { blocksPerThread: bpt });
      try {
        for (const [i, spec] of SPECS.entries()) {
          const u = macUnit(spec);
          const [M, K, N] = [23, 19, 6];
          const A = rand(spec.a as TensorSpec, [M, K], 50 * i + bpt, 6);
          const B = rand(spec.b as TensorSpec, [K, N], 50 * i + bpt + 1, 6);
          const c = rand(u.c as TensorSpec, [M, N], 50 * i + bpt + 2, 2);
          const ref = matmul(u, A, B, { c });
          const got = await pool.matmul(spec, A, B, { c });
          const what = `spec ${i}, ${bpt} blocks per thread`;
          expect(Array.from(got.tensor.data), what).to.deep.equal(Array.from(ref.tensor.data));
          expect(got.flags, what).to.equal(ref.flags);
          expect(got.stats, what).to.deep.equal(ref.stats);
          const X = rand(spec.a as TensorSpec, [11, 2, 5, 4], 50 * i + bpt + 3, 6);
          const W = rand(spec.b as TensorSpec, [3, 2, 2, 2], 50 * i + bpt + 4, 2);
          const want = conv2d(u, X, W, { padding: 1 });
          const conv = await pool.conv2d(spec, X, W, { padding: 1 });
          expect(Array.from(conv.tensor.data), what).to.deep.equal(Array.from(want.tensor.data));
          expect(conv.flags, what).to.equal(want.flags);
          expect(conv.stats, what).to.deep.equal(want.stats);
        }
      } finally {
        await pool.close();
      }
    }
    for (const bad of [0, 2.5, 65]) expect(() => new MatmulPool(2, { blocksPerThread: bad })).to.throw(RangeError, new RegExp(`blocksPerThread: must be an integer in 1\\.\\.64, got ${bad}`));
  });
  it('a worker uses each call its own B: consecutive and concurrent calls with different B of one shape', async () => {
    const pool = new MatmulPool(2);
    try {
      const spec = SPECS[1]!;
      const u = macUnit(spec);
      const A = rand(catalog.e5m2, [17, 12], 1, 6);
      const Bs = [2, 3, 4].map((seed) => rand(catalog.e5m2, [12, 9], seed, 6));
      const refs = Bs.map((B) => Array.from(matmul(u, A, B).tensor.data));
      expect(refs[0]).to.not.deep.equal(refs[1]);
      for (const [j, B] of Bs.entries()) expect(Array.from((await pool.matmul(spec, A, B)).tensor.data), `call ${j}`).to.deep.equal(refs[j]);
      // The same B again after another: decoded anew, not confused with the last call's.
      expect(Array.from((await pool.matmul(spec, A, Bs[0]!)).tensor.data)).to.deep.equal(refs[0]);
      // Concurrent calls interleave their blocks on each worker.
      const got = await Promise.all([...Bs, ...Bs].map((B) => pool.matmul(spec, A, B)));
      got.forEach((g, j) => expect(Array.from(g.tensor.data), `concurrent call ${j}`).to.deep.equal(refs[j % 3]));
    } finally {
      await pool.close();
    }
  });
  it('matmul keeps a decoded B between calls only for the same B tensor, plan and transposition', () => {
    const spec = SPECS[0]!;
    const u = macUnit(spec);
    // The same operand formats through the integer-domain plan, whose values are scaled units.
    const u2 = macUnit({ ...spec, acc: { kind: 'exact' }, output: { format: catalog.fp32 } });
    const A = rand(catalog.e4m3fn, [5, 8], 1, 6);
    const B = rand(catalog.e4m3fn, [8, 8], 2, 6);
    const B2 = rand(catalog.e4m3fn, [8, 8], 3, 6);
    const keep: DecodedB = {};
    const plain = (U: typeof u, X: Tensor, o = {}) => Array.from(matmul(U, A, X, o).tensor.data);
    expect(Array.from(matmul(u, A, B, {}, keep).tensor.data)).to.deep.equal(plain(u, B));
    expect(keep.B).to.equal(B);
    const values = keep.values;
    expect(Array.from(matmul(u, A, B, { indexBase: 3 }, keep).tensor.data)).to.deep.equal(plain(u, B, { indexBase: 3 }));
    expect(keep.values).to.equal(values);
    expect(Array.from(matmul(u, A, B2, {}, keep).tensor.data)).to.deep.equal(plain(u, B2));
    expect(keep.B).to.equal(B2);
    expect(Array.from(matmul(u, A, B2, { transposeB: true }, keep).tensor.data)).to.deep.equal(plain(u, B2, { transposeB: true }));
    expect(keep.transposeB).to.equal(true);
    expect(Array.from(matmul(u2, A, B2, { transposeB: true }, keep).tensor.data)).to.deep.equal(plain(u2, B2, { transposeB: true }));
  });
});
