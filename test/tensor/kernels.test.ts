/**
 * Kernels through MAC units against slow reference loops written here over the scalar operations
 * (fp32 fma, conversions), indexing each element naively: random shapes, batch broadcasting,
 * transposed operands and strided views for matmul; stride, padding, dilation and groups for conv2d;
 * the NVIDIA and Wang presets against per-element dot calls; pooling; errors. Seeds fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { convert, decode, encode, fma, div, fromInt } from '../../src/ops/float/index.js';
import { presetByName } from '../../src/accum/presets/index.js';
import { Tensor, tensor, fromNumbers, permute, matmul, conv2d, maxPool2d, avgPool2d } from '../../src/tensor/index.js';
import type { FloatSpec } from '../../src/formats/float.js';

function randomTensor(s: FloatSpec, shape: number[], seed: number, scale = 4): Tensor<FloatSpec> {
  let x = seed >>> 0;
  const n = shape.reduce((p, d) => p * d, 1);
  const vals = Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return ((x / 2 ** 32) * 2 - 1) * scale;
  });
  return fromNumbers(s, shape, vals).tensor as Tensor<FloatSpec>;
}

/** Reference: acc = c; acc = fma_fp32(a_k, b_k, acc) for k ascending (operands widened exactly to fp32). */
function refDot(sa: FloatSpec, a: number[], sb: FloatSpec, b: number[], c: number): number {
  let acc = c;
  for (let k = 0; k < a.length; k++) {
    const x = convert(sa, catalog.fp32, a[k]!).code as number;
    const y = convert(sb, catalog.fp32, b[k]!).code as number;
    acc = fma(catalog.fp32, x, y, acc).code as number;
  }
  return acc;
}

describe('matmul through a MAC unit equals a reference loop over scalar fma (seed 8)', function () {
  it('bf16 × bf16 → fp32 with batch broadcasting and transposed operands', function () {
    const unit = presetByName('bf16-fp32');
    fc.assert(
      fc.property(
        fc.record({ M: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 9 }), N: fc.integer({ min: 1, max: 5 }), batchA: fc.constantFrom([], [1], [3], [2, 1]), batchB: fc.constantFrom([], [1], [3], [2, 3]), tA: fc.boolean(), tB: fc.boolean(), seed: fc.nat() }),
        (r) => {
          const bA = r.batchA.length && r.batchB.length && r.batchB.length === 2 && r.batchA.length === 1 ? [3] : r.batchA;
          const A0 = randomTensor(catalog.bf16, [...bA, ...(r.tA ? [r.K, r.M] : [r.M, r.K])], r.seed);
          const B0 = randomTensor(catalog.bf16, [...r.batchB, ...(r.tB ? [r.N, r.K] : [r.K, r.N])], r.seed + 1);
          let res;
          try {
            res = matmul(unit, A0, B0, { transposeA: r.tA, transposeB: r.tB });
          } catch (e) {
            if (/batch dimensions do not broadcast/.test((e as Error).message)) return;
            throw e;
          }
          const out = res.tensor;
          const nb = out.ndim - 2;
          const c0 = encode(catalog.fp32, 0).code as number;
          for (let flat = 0; flat < out.size; flat++) {
            const idx: number[] = [];
            let rem = flat;
            for (let i = out.ndim - 1; i >= 0; i--) {
              idx.unshift(rem % out.shape[i]!);
              rem = Math.floor(rem / out.shape[i]!);
            }
            const m = idx[nb]!;
            const n = idx[nb + 1]!;
            const bidx = idx.slice(0, nb);
            const pick = (t: Tensor, rowcol: number[]) => {
              const own = t.shape.slice(0, -2);
              const bi = own.map((d, i) => (d === 1 ? 0 : bidx[nb - own.length + i]!));
              return t.get([...bi, ...rowcol]);
            };
            const a = Array.from({ length: r.K }, (_, k) => pick(A0, r.tA ? [k, m] : [m, k]));
            const b = Array.from({ length: r.K }, (_, k) => pick(B0, r.tB ? [n, k] : [k, n]));
            expect(out.data[flat], `output ${idx}`).to.equal(refDot(catalog.bf16, a, catalog.bf16, b, c0));
          }
          expect(res.stats.macs).to.equal(out.size * r.K);
        },
      ),
      { seed: 8, numRuns: 60 },
    );
  });
  it('reads strided views (a permuted tensor) like their copies', function () {
    const unit = presetByName('fp32-seq-fma');
    const A = randomTensor(catalog.fp32, [6, 4], 3);
    const At = permute(A, [1, 0]); // [4, 6] view
    const B = randomTensor(catalog.fp32, [4, 5], 4);
    const viaView = matmul(unit, At, B, { transposeA: true }).tensor;
    const direct = matmul(unit, A, B).tensor;
    expect([...viaView.data]).to.deep.equal([...direct.data]);
  });
  it('adds a broadcast bias c', function () {
    const unit = presetByName('fp32-seq-fma');
    const A = randomTensor(catalog.fp32, [3, 2], 5);
    const B = randomTensor(catalog.fp32, [2, 4], 6);
    const bias = randomTensor(catalog.fp32, [4], 7);
    const out = matmul(unit, A, B, { c: bias }).tensor;
    for (let m = 0; m < 3; m++)
      for (let n = 0; n < 4; n++) {
        const a = [A.get([m, 0]), A.get([m, 1])];
        const b = [B.get([0, n]), B.get([1, n])];
        expect(out.get([m, n])).to.equal(refDot(catalog.fp32, a, catalog.fp32, b, bias.get([n])));
      }
  });
  it('runs an NVIDIA A100 fp16 → fp32 unit (K = 8) and a Wang 2018 unit element by element', function () {
    for (const [name, s, K] of [['nvidia-a100-fp16-fp32', catalog.fp16, 8], ['wang2018-fp8-chunk64', catalog.e5m2, 70]] as const) {
      const unit = presetByName(name);
      const A = randomTensor(s, [3, K], 11);
      const B = randomTensor(s, [K, 2], 12);
      const out = matmul(unit, A, B).tensor;
      const c0 = encode(unit.c as FloatSpec, 0).code as number;
      for (let m = 0; m < 3; m++)
        for (let n = 0; n < 2; n++) {
          const a = Array.from({ length: K }, (_, k) => A.get([m, k]));
          const b = Array.from({ length: K }, (_, k) => B.get([k, n]));
          expect(out.get([m, n]), `${name} [${m}, ${n}]`).to.equal(Number(unit.dot(a, b, c0, m * 2 + n).code));
        }
    }
  });
  it('rejects mismatched shapes and formats, naming them', function () {
    const unit = presetByName('fp32-seq-fma');
    const A = randomTensor(catalog.fp32, [3, 2], 1);
    expect(() => matmul(unit, A, randomTensor(catalog.fp32, [3, 4], 2))).to.throw(RangeError, /inner dimensions differ: A is \[3,2\], B is \[3,4\]: K = 2 vs 3/);
    expect(() => matmul(unit, A, randomTensor(catalog.fp16, [2, 4], 2))).to.throw(TypeError, /B: tensor format fp16 differs from the unit's fp32/);
  });
});

describe('conv2d through a MAC unit equals a naive reference loop (seed 9)', function () {
  it('stride, padding, dilation and groups', function () {
    const unit = presetByName('fp32-seq-fma');
    fc.assert(
      fc.property(
        fc.record({ N: fc.integer({ min: 1, max: 2 }), G: fc.integer({ min: 1, max: 2 }), Cg: fc.integer({ min: 1, max: 2 }), Og: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 3, max: 6 }), W: fc.integer({ min: 3, max: 6 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }), seed: fc.nat() }),
        (r) => {
          const C = r.G * r.Cg;
          const O = r.G * r.Og;
          if (r.H + 2 * r.p < r.d * (r.kh - 1) + 1 || r.W + 2 * r.p < r.d * (r.kw - 1) + 1) return;
          const X = randomTensor(catalog.fp32, [r.N, C, r.H, r.W], r.seed);
          const Wt = randomTensor(catalog.fp32, [O, r.Cg, r.kh, r.kw], r.seed + 7);
          const out = conv2d(unit, X, Wt, { stride: r.s, padding: r.p, dilation: r.d, groups: r.G }).tensor;
          const [, , HO, WO] = out.shape as [number, number, number, number];
          const zero = encode(catalog.fp32, 0).code as number;
          for (let n = 0; n < r.N; n++)
            for (let o = 0; o < O; o++)
              for (let y = 0; y < HO; y++)
                for (let x = 0; x < WO; x++) {
                  const g = Math.floor(o / r.Og);
                  const a: number[] = [];
                  const b: number[] = [];
                  for (let ci = 0; ci < r.Cg; ci++)
                    for (let ky = 0; ky < r.kh; ky++)
                      for (let kx = 0; kx < r.kw; kx++) {
                        const iy = y * r.s + ky * r.d - r.p;
                        const ix = x * r.s + kx * r.d - r.p;
                        a.push(iy < 0 || iy >= r.H || ix < 0 || ix >= r.W ? zero : X.get([n, g * r.Cg + ci, iy, ix]));
                        b.push(Wt.get([o, ci, ky, kx]));
                      }
                  expect(out.get([n, o, y, x]), `[${n},${o},${y},${x}]`).to.equal(refDot(catalog.fp32, a, catalog.fp32, b, zero));
                }
        },
      ),
      { seed: 9, numRuns: 60 },
    );
  });
  it('rejects a bad group count and a kernel larger than the input', function () {
    const unit = presetByName('fp32-seq-fma');
    const X = randomTensor(catalog.fp32, [1, 3, 4, 4], 1);
    expect(() => conv2d(unit, X, randomTensor(catalog.fp32, [2, 3, 3, 3], 2), { groups: 2 })).to.throw(RangeError, /groups must be an integer >= 1 dividing C = 3 and O = 2/);
    expect(() => conv2d(unit, X, randomTensor(catalog.fp32, [2, 3, 5, 5], 2))).to.throw(RangeError, /does not fit the padded input/);
  });
});

describe('pooling', function () {
  it('max pooling takes the IEEE maximum of each window, NaN first, +0 over -0', function () {
    const s = catalog.fp16;
    const X = fromNumbers(s, [1, 1, 2, 4], [1, 5, -0, 0, 3, 2, NaN, -1]).tensor;
    const out = maxPool2d(X as Tensor<FloatSpec>, { kernel: 2 }).tensor;
    expect(Array.from(out.data, (c) => decode(s, c))).to.deep.equal([5, NaN]);
    const z = maxPool2d(fromNumbers(s, [1, 1, 1, 2], [-0, 0]).tensor as Tensor<FloatSpec>, { kernel: [1, 2] }).tensor;
    expect(Object.is(decode(s, z.data[0]!), 0)).to.equal(true);
  });
  it('average pooling sums through the unit and divides once', function () {
    const unit = presetByName('fp32-seq-fma');
    const X = randomTensor(catalog.fp32, [1, 2, 4, 4], 21);
    const out = avgPool2d(unit, X, { kernel: 2, padding: 1, stride: 2 }).tensor;
    const one = encode(catalog.fp32, 1).code as number;
    const zero = encode(catalog.fp32, 0).code as number;
    for (let c = 0; c < 2; c++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) {
          const a: number[] = [];
          for (let ky = 0; ky < 2; ky++)
            for (let kx = 0; kx < 2; kx++) {
              const iy = y * 2 + ky - 1;
              const ix = x * 2 + kx - 1;
              if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) a.push(X.get([0, c, iy, ix]));
            }
          const sum = refDot(catalog.fp32, a, catalog.fp32, a.map(() => one), zero);
          const want = div(catalog.fp32, sum, fromInt(catalog.fp32, a.length).code).code;
          expect(out.get([0, c, y, x])).to.equal(want);
        }
  });
});

describe('kernels with stochastic units are reproducible', function () {
  it('gives identical bits on repeated runs', function () {
    const unit = presetByName('gupta2015-fixed16-sr');
    const fx = unit.a as never;
    const A = tensor(fx, [2, 3], [100, -200, 300, 400, -500, 600]);
    const B = tensor(fx, [3, 2], [7, -8, 9, 10, -11, 12]);
    const r1 = matmul(unit, A, B).tensor;
    const r2 = matmul(unit, A, B).tensor;
    expect([...r1.data]).to.deep.equal([...r2.data]);
  });
});
