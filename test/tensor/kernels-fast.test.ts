/**
 * matmul and conv2d on the fast paths (operands decoded once and read in place, src/accum/fast-*.ts)
 * equal a reference written here: naive indexing of every output's operands in the documented order
 * and one dot product of the general engine (`macUnit(spec, { generalOnly: true })`) per output
 * element, with its stochastic index: output codes, flags and every statistic. Random float and integer-domain specs, codes with NaN, ∞, subnormals and
 * huge values, random K (0 and 1 included), transposes, batch broadcasting, strided views and a
 * broadcast c for matmul; stride, padding, dilation, groups, bias and strided views for conv2d. Seeds fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { macUnit } from '../../src/accum/mac-unit.js';
import { GIVE_UP, type FastPlan } from '../../src/accum/fast-plan.js';
import type { MacSpec } from '../../src/accum/mac-spec.js';
import type { AnySpec } from '../../src/accum/types.js';
import { Tensor, tensor, permute, matmul, conv2d, type TensorSpec, type KernelResult } from '../../src/tensor/index.js';
import { LEVEL } from '../support/bridge.js';
import { encode } from '../../src/ops/float/index.js';
import { catalog } from '../../src/formats/catalog.js';
import { fixedFormat } from '../../src/formats/fixed.js';
import { Flag } from '../../src/flags.js';
import { highExponent, lowBitExponent, productBound, productQuantum } from '../../src/accum/fast-shared.js';
import type { FloatSpec } from '../../src/formats/float.js';
import { wang2018Chunk64 } from '../../src/accum/presets/papers.js';
import { anyCodeArb, moderateCodeArb, cFormatOf, describeSpec, floatSpecArb, intSpecArb } from '../accum/fast-arbs.js';

function isTensorSpec(f: AnySpec): f is TensorSpec {
  return (f.kind === 'float' && !f.wide && f.width <= 32) || (f.kind === 'fixed' && f.width <= 52);
}
function outOf(s: MacSpec): AnySpec {
  return s.output?.format ?? cFormatOf(s);
}
const specArb = fc.oneof(floatSpecArb, intSpecArb).filter((s) => isTensorSpec(s.a) && isTensorSpec(s.b) && isTensorSpec(cFormatOf(s)) && isTensorSpec(outOf(s)));

/** Stored codes (fixed point stores signed raw values) of random patterns. */
function storedArb(f: AnySpec, n: number, corners: boolean): fc.Arbitrary<number[]> {
  const codes = fc.array(corners ? anyCodeArb(f) : moderateCodeArb(f), { minLength: n, maxLength: n });
  if (f.kind !== 'fixed' || !f.signed) return codes;
  return codes.map((cs) => cs.map((c) => (c >= 2 ** (f.width - 1) ? c - 2 ** f.width : c)));
}

/** A tensor of the given logical shape, stored either contiguously or as a permuted view. */
function makeTensor(f: AnySpec, shape: number[], codes: number[], view: boolean): Tensor {
  if (!view || shape.length < 2) return tensor(f as TensorSpec, shape, codes);
  const n = shape.length;
  // Store with the last two axes swapped, then permute them back: a strided (non-contiguous) view.
  const stored = [...shape.slice(0, n - 2), shape[n - 1]!, shape[n - 2]!];
  const axes = [...Array(n - 2).keys(), n - 1, n - 2];
  return permute(tensor(f as TensorSpec, stored, codes), axes);
}

/** Counts the output elements the plan finishes itself (not handed to the general engine). */
let finished = 0;
function counted(spec: MacSpec) {
  const u = macUnit(spec);
  const plan = u.plan as (FastPlan & { dot: FastPlan['dot']; dot2: FastPlan['dot2'] }) | null;
  if (plan) {
    const dot = plan.dot.bind(plan);
    const dot2 = plan.dot2.bind(plan);
    plan.dot = (...args) => {
      const r = dot(...args);
      if (r !== GIVE_UP) finished++;
      return r;
    };
    plan.dot2 = (...args) => {
      dot2(...args);
      for (const c of plan.codes) if (c !== GIVE_UP) finished++;
    };
  }
  return u;
}

/** The expected kernel result, element by element: naive indexing and one general-engine dot per output. */
interface Expected {
  data: number[];
  flags: number;
  stats: { macs: number; overflows: number; saturations: number; inexact: number; swamped: number };
}
function expected(): Expected {
  return { data: [], flags: 0, stats: { macs: 0, overflows: 0, saturations: 0, inexact: 0, swamped: 0 } };
}
function pattern(f: AnySpec, stored: number): number {
  return f.kind === 'fixed' && stored < 0 ? stored + 2 ** f.width : stored;
}
function stored(f: AnySpec, code: number | bigint): number {
  const p = Number(code);
  return f.kind === 'fixed' && f.signed && p >= 2 ** (f.width - 1) ? p - 2 ** f.width : p;
}
function push(e: Expected, out: AnySpec, r: { code: number | bigint; flags: number; stats: Expected['stats'] }): void {
  e.data.push(stored(out, r.code));
  e.flags |= r.flags;
  for (const k of Object.keys(e.stats) as (keyof Expected['stats'])[]) e.stats[k] += r.stats[k];
}

function same(x: KernelResult, y: Expected, what: string): void {
  expect({ data: [...x.tensor.data], flags: x.flags, stats: x.stats }, what).to.deep.equal(y);
}

const BATCHES: [number[], number[]][] = [[[], []], [[2], []], [[], [3]], [[2], [2]], [[2, 1], [3]], [[1], [2]]];

describe('matmul on the fast paths equals a naive loop of general-engine dot products (seed 4301)', function () {
  it('any spec, codes, K, transposes, batch broadcasting, strided views and bias', function () {
    let planned = 0;
    finished = 0;
    fc.assert(
      fc.property(
        specArb.chain((spec) =>
          fc
            .record({
              M: fc.integer({ min: 1, max: 4 }),
              K: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 14 })),
              N: fc.integer({ min: 1, max: 4 }),
              batch: fc.constantFrom(...BATCHES),
              tA: fc.boolean(),
              tB: fc.boolean(),
              viewA: fc.boolean(),
              viewB: fc.boolean(),
              bias: fc.constantFrom('none', 'n', 'm1', 'mn'),
              corners: fc.boolean(),
            })
            .chain((g) => {
              const [bA, bB] = g.batch;
              const shA = [...bA, ...(g.tA ? [g.K, g.M] : [g.M, g.K])];
              const shB = [...bB, ...(g.tB ? [g.N, g.K] : [g.K, g.N])];
              const shC = g.bias === 'n' ? [g.N] : g.bias === 'm1' ? [g.M, 1] : [g.M, g.N];
              const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
              return fc.record({
                spec: fc.constant(spec),
                g: fc.constant({ ...g, shA, shB, shC }),
                a: storedArb(spec.a, size(shA), g.corners),
                b: storedArb(spec.b, size(shB), g.corners),
                c: storedArb(cFormatOf(spec), size(shC), g.corners),
              });
            }),
        ),
        ({ spec, g, a, b, c }) => {
          const fast = counted(spec);
          if (fast.plan) planned++;
          const general = macUnit(spec, { generalOnly: true });
          const A = makeTensor(spec.a, g.shA, a, g.viewA);
          const B = makeTensor(spec.b, g.shB, b, g.viewB);
          const C = g.bias === 'none' ? undefined : makeTensor(cFormatOf(spec), g.shC, c, g.bias === 'mn');
          const opts = { transposeA: g.tA, transposeB: g.tB, ...(C ? { c: C } : {}) };
          let got: KernelResult | undefined;
          try {
            got = matmul(fast, A, B, opts);
          } catch (e) {
            expect(() => matmul(general, A, B, opts)).to.throw((e as Error).message);
            return;
          }
          // Reference: output [..., m, n] (row-major, flat index i) = general.dot(A row, B column, c, i).
          const want = expected();
          const [bA, bB] = g.batch;
          const nb = Math.max(bA.length, bB.length);
          const batch = Array.from({ length: nb }, (_, i) => Math.max(bA[bA.length - nb + i] ?? 1, bB[bB.length - nb + i] ?? 1));
          const nBatch = batch.reduce((p, d) => p * d, 1);
          const cf = cFormatOf(spec);
          const zc = cf.kind === 'float' ? (encode(cf, 0).code as number) : 0;
          let flat = 0;
          for (let bi = 0; bi < nBatch; bi++) {
            const idx = new Array<number>(nb);
            let r = bi;
            for (let i = nb - 1; i >= 0; i--) {
              idx[i] = r % batch[i]!;
              r = Math.floor(r / batch[i]!);
            }
            const pick = (own: number[], t: Tensor, rc: number[]) => t.get([...own.map((d, i) => (d === 1 ? 0 : idx[nb - own.length + i]!)), ...rc]);
            for (let m = 0; m < g.M; m++)
              for (let n = 0; n < g.N; n++, flat++) {
                const a = Array.from({ length: g.K }, (_, k) => pattern(spec.a, pick(bA, A, g.tA ? [k, m] : [m, k])));
                const b = Array.from({ length: g.K }, (_, k) => pattern(spec.b, pick(bB, B, g.tB ? [n, k] : [k, n])));
                const c = C ? pattern(cf, g.bias === 'n' ? C.get([n]) : g.bias === 'm1' ? C.get([m, 0]) : C.get([m, n])) : zc;
                push(want, outOf(spec), general.dot(a, b, c, flat));
              }
          }
          same(got, want, `${describeSpec(spec)} ${JSON.stringify(g)}`);
        },
      ),
      { seed: 4301, numRuns: LEVEL === 'full' ? 6000 : 600 },
    );
    expect(planned).to.be.greaterThan(LEVEL === 'full' ? 1000 : 100);
    if (process.env.SHOW_SEEN) console.log({ planned, finished });
    expect(finished, 'output elements finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 20000 : 2000);
  });
});

describe('conv2d on the fast paths equals a naive loop of general-engine dot products (seed 4302)', function () {
  it('any spec and codes, stride, padding, dilation, groups, bias, strided input views', function () {
    let planned = 0;
    finished = 0;
    fc.assert(
      fc.property(
        specArb.chain((spec) =>
          fc
            .record({
              N: fc.integer({ min: 1, max: 2 }),
              G: fc.integer({ min: 1, max: 2 }),
              Cg: fc.integer({ min: 1, max: 3 }),
              Og: fc.integer({ min: 1, max: 2 }),
              H: fc.integer({ min: 1, max: 6 }),
              W: fc.integer({ min: 1, max: 6 }),
              kh: fc.integer({ min: 1, max: 3 }),
              kw: fc.integer({ min: 1, max: 3 }),
              sy: fc.integer({ min: 1, max: 2 }),
              sx: fc.integer({ min: 1, max: 3 }),
              py: fc.integer({ min: 0, max: 2 }),
              px: fc.integer({ min: 0, max: 2 }),
              dy: fc.integer({ min: 1, max: 2 }),
              dx: fc.integer({ min: 1, max: 2 }),
              bias: fc.boolean(),
              viewX: fc.boolean(),
              corners: fc.boolean(),
            })
            .filter((g) => g.H + 2 * g.py >= g.dy * (g.kh - 1) + 1 && g.W + 2 * g.px >= g.dx * (g.kw - 1) + 1)
            .chain((g) => {
              const C = g.G * g.Cg;
              const O = g.G * g.Og;
              return fc.record({
                spec: fc.constant(spec),
                g: fc.constant(g),
                x: storedArb(spec.a, g.N * C * g.H * g.W, g.corners),
                w: storedArb(spec.b, O * g.Cg * g.kh * g.kw, g.corners),
                bias: storedArb(cFormatOf(spec), O, g.corners),
              });
            }),
        ),
        ({ spec, g, x, w, bias }) => {
          const fast = counted(spec);
          if (fast.plan) planned++;
          const general = macUnit(spec, { generalOnly: true });
          const C = g.G * g.Cg;
          const O = g.G * g.Og;
          // A strided input view: stored [C, N, H, W], permuted to [N, C, H, W] (as the weight-gradient GEMM reads it).
          const X = g.viewX ? permute(tensor(spec.a as TensorSpec, [C, g.N, g.H, g.W], x), [1, 0, 2, 3]) : tensor(spec.a as TensorSpec, [g.N, C, g.H, g.W], x);
          const Wt = tensor(spec.b as TensorSpec, [O, g.Cg, g.kh, g.kw], w);
          const opts = {
            stride: [g.sy, g.sx] as [number, number],
            padding: [g.py, g.px] as [number, number],
            dilation: [g.dy, g.dx] as [number, number],
            groups: g.G,
            ...(g.bias ? { bias: tensor(cFormatOf(spec) as TensorSpec, [O], bias) } : {}),
          };
          const got = conv2d(fast, X, Wt, opts);
          // Reference: out[n, o, y, x] = general.dot(taps in (c, ky, kx) order, padded taps +0, bias[o], flat index).
          const want = expected();
          const fa = spec.a;
          const zx = fa.kind === 'float' ? (encode(fa, 0).code as number) : 0;
          const cf = cFormatOf(spec);
          const zc = cf.kind === 'float' ? (encode(cf, 0).code as number) : 0;
          const HO = Math.floor((g.H + 2 * g.py - g.dy * (g.kh - 1) - 1) / g.sy) + 1;
          const WO = Math.floor((g.W + 2 * g.px - g.dx * (g.kw - 1) - 1) / g.sx) + 1;
          let flat = 0;
          for (let n = 0; n < g.N; n++)
            for (let o = 0; o < O; o++)
              for (let y = 0; y < HO; y++)
                for (let x = 0; x < WO; x++, flat++) {
                  const grp = Math.floor(o / g.Og);
                  const a: number[] = [];
                  const b: number[] = [];
                  for (let ci = 0; ci < g.Cg; ci++)
                    for (let ky = 0; ky < g.kh; ky++)
                      for (let kx = 0; kx < g.kw; kx++) {
                        const iy = y * g.sy + ky * g.dy - g.py;
                        const ix = x * g.sx + kx * g.dx - g.px;
                        a.push(iy < 0 || iy >= g.H || ix < 0 || ix >= g.W ? zx : pattern(fa, X.get([n, grp * g.Cg + ci, iy, ix])));
                        b.push(pattern(spec.b, Wt.get([o, ci, ky, kx])));
                      }
                  push(want, outOf(spec), general.dot(a, b, g.bias ? pattern(cf, opts.bias!.get([o])) : zc, flat));
                }
          same(got, want, `${describeSpec(spec)} ${JSON.stringify(g)}`);
        },
      ),
      { seed: 4302, numRuns: LEVEL === 'full' ? 3000 : 300 },
    );
    expect(planned).to.be.greaterThan(LEVEL === 'full' ? 700 : 70);
    if (process.env.SHOW_SEEN) console.log({ planned, finished });
    expect(finished, 'output elements finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 20000 : 2000);
  });
});

describe('the quantum bound of the kernels (a power of two dividing every product of a call)', function () {
  it('lowBitExponent finds the lowest set bit over the significands; productQuantum multiplies two bounds', function () {
    expect(lowBitExponent(Float64Array.of(0, 1.5, -6, 3 * 2 ** -21), 4)).to.equal(-21); // 1.5 = 3·2^-1, 6 = 3·2, 3·2^-21
    expect(lowBitExponent(Float64Array.of(0, 0), 2)).to.equal(Infinity);
    expect(lowBitExponent(Float64Array.of(1 + 2 ** -52), 1)).to.equal(-52);
    expect(lowBitExponent(Float64Array.of(3 * 2 ** 40, 2 ** 33 + 2 ** 34), 2)).to.equal(33);
    expect(lowBitExponent(Float64Array.of(1, Infinity), 2)).to.equal(-Infinity);
    expect(lowBitExponent(Float64Array.of(5e-324), 1)).to.equal(-Infinity);
    expect(productQuantum(-21, -3)).to.equal(2 ** -24);
    expect(productQuantum(Infinity, -3)).to.equal(0);
    expect(productQuantum(-Infinity, 0)).to.equal(0);
    expect(highExponent(Float64Array.of(0, -3, 0.5, 2 ** 40 + 1), 4)).to.equal(40);
    expect(highExponent(Float64Array.of(0, -0), 2)).to.equal(-Infinity);
    expect(highExponent(Float64Array.of(1, NaN), 2)).to.equal(Infinity);
    expect(productBound(10, 3, -1)).to.equal(10 * 2 ** 4); // |a| < 16, |b| < 1: Σ of 10 products < 160
    expect(productBound(10, -Infinity, 5)).to.equal(0);
    expect(productBound(10, Infinity, 5)).to.equal(Infinity);
  });
  it('operand tables: the plan decoder at every bit pattern, built once per format and scale and shared by units built per call', function () {
    const fixed16 = fixedFormat({ width: 16, frac: 4, signed: true });
    const specs: MacSpec[] = [
      { a: catalog.bf16, b: catalog.e5m2, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } },
      // The integer-domain plan: values in units scaled by 2^(gb + Fu) and 2^-gb.
      { a: catalog.e4m3fn, b: fixed16, product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' }, output: { format: catalog.fp32 } },
    ];
    for (const spec of specs) {
      const p1 = macUnit(spec).plan!;
      const p2 = macUnit(spec).plan!;
      expect(p1.tableA).to.be.instanceOf(Float64Array);
      expect(p2.tableA).to.equal(p1.tableA);
      expect(p2.tableB).to.equal(p1.tableB);
      for (const [t, value, w] of [[p1.tableA!, (c: number) => p1.valueA(c), spec.a.width], [p1.tableB!, (c: number) => p1.valueB(c), spec.b.width]] as const) {
        expect(t.length).to.equal(2 ** w);
        for (let c = 0; c < t.length; c++) if (!Object.is(t[c], value(c))) expect.fail(`${describeSpec(spec)}: pattern ${c}: table ${t[c]}, decoder ${value(c)}`);
      }
    }
    const wide = macUnit({ a: catalog.fp32, b: catalog.bf16, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } });
    expect(wide.plan!.tableA).to.equal(null); // 32-bit operands: decoded by the plan's function
    expect(wide.plan!.tableB).to.be.instanceOf(Float64Array);
  });
  /** Random matmuls through `spec`, fast kernel against the general engine; values from `valueArb`. */
  function sameAsEngine(spec: MacSpec, valueArb: fc.Arbitrary<number>, seed: number, cancel: boolean): { inexact: number; swamped: number } {
    const fast = macUnit(spec);
    const general = macUnit(spec, { generalOnly: true });
    const fa = spec.a as FloatSpec;
    const totals = { inexact: 0, swamped: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1 << 30 }), (M, K, N, s0) => {
        const enc = (v: number) => encode(fa, v).code as number;
        let x = s0;
        const pool = fc.sample(valueArb, { numRuns: 32, seed: s0 });
        const pick = () => pool[(x = (Math.imul(x, 1664525) + 1013904223) >>> 0) % pool.length]!;
        const A = tensor(fa, [M, K], Array.from({ length: M * K }, () => enc(pick())));
        const bv = Array.from({ length: K * N }, () => pick());
        // Cancellation: B's second half repeats its first half negated.
        if (cancel) for (let k = K >> 1; k < K; k++) for (let n = 0; n < N; n++) bv[k * N + n] = -bv[(k - (K >> 1)) * N + n]!;
        const B = tensor(fa, [K, N], bv.map(enc));
        const fcf = (spec.acc as { format: FloatSpec }).format;
        const c = tensor(fcf, [N], Array.from({ length: N }, (_, n) => encode(fcf, n % 3 === 0 ? 0 : pick()).code as number));
        const got = matmul(fast, A, B, { c });
        const want = matmul(general, A, B, { c });
        expect(Array.from(got.tensor.data)).to.deep.equal(Array.from(want.tensor.data));
        expect(got.flags).to.equal(want.flags);
        expect(got.stats).to.deep.equal(want.stats);
        totals.inexact += want.stats.inexact;
        totals.swamped += want.stats.swamped;
      }),
      { seed, numRuns: LEVEL === 'full' ? 3000 : 300 },
    );
    return totals;
  }
  const toFp32 = (a: FloatSpec): MacSpec => ({ a, b: a, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } });
  it('e4m3fn × e4m3fn → fp32 (every binary64 sum exact): inexact and swamped additions as the engine counts them', function () {
    // Magnitudes from 2^-9 to 448: products from 2^-18 to 2^17.6, sums needing more than 24 bits.
    const v = fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: -9, max: 5 }), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);
    const t = sameAsEngine(toFp32(catalog.e4m3fn), v, 81, false);
    expect(t.inexact, 'inexact additions').to.be.greaterThan(LEVEL === 'full' ? 1000 : 100);
    expect(t.swamped, 'swamped addends').to.be.greaterThan(LEVEL === 'full' ? 100 : 10);
  });
  it('Wang 2018 (e5m2, (1,6,9) chunks of 64): the loop without range and midpoint tests where the bounds allow it, and sums that overflow (1,6,9)', function () {
    const wang: MacSpec = { ...wang2018Chunk64, summation: { kind: 'chunked', chunk: 8, inner: (wang2018Chunk64.summation as { inner: MacSpec['acc'] }).inner } };
    const small = fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: -10, max: 4 }), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);
    const t = sameAsEngine(wang, small, 83, false);
    expect(t.inexact, 'inexact additions').to.be.greaterThan(LEVEL === 'full' ? 1000 : 100);
    expect(t.swamped, 'swamped addends').to.be.greaterThan(LEVEL === 'full' ? 100 : 10);
    // Magnitudes up to 57344: products up to 3.3e9, sums beyond (1,6,9)'s 8.6e9.
    const huge = fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 8, max: 13 }), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);
    sameAsEngine(wang, huge, 84, false);
    sameAsEngine(wang2018Chunk64, huge, 85, true);
  });
  it('bf16 × bf16 → fp32 with few significant bits and exponents ±50..60: no tiny sum, but binary64 sums that lose the smaller addend', function () {
    const v = fc.tuple(fc.integer({ min: 1, max: 15 }), fc.oneof(fc.integer({ min: -58, max: -50 }), fc.integer({ min: 50, max: 59 })), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);
    const t = sameAsEngine(toFp32(catalog.bf16), v, 82, true);
    expect(t.inexact, 'inexact additions').to.be.greaterThan(LEVEL === 'full' ? 1000 : 100);
  });
  const bf16Fp32: MacSpec = { a: catalog.bf16, b: catalog.bf16, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } };
  /**
   * A [M, K] · B [K, N] of bf16 values through bf16 → fp32, the fast kernel against the general engine
   * (codes, flags, statistics); B's second half (in k) repeats its first half negated, so sums cancel.
   * True when the product raised underflow.
   */
  function sameBf16(M: number, K: number, N: number, av: number[], bv: number[]): boolean {
    const enc = (v: number) => encode(catalog.bf16, v).code as number;
    for (let k = K >> 1; k < K; k++) for (let n = 0; n < N; n++) bv[k * N + n] = -bv[(k - (K >> 1)) * N + n]!;
    const A = tensor(catalog.bf16, [M, K], av.map(enc));
    const B = tensor(catalog.bf16, [K, N], bv.map(enc));
    const got = matmul(macUnit(bf16Fp32), A, B);
    const want = matmul(macUnit(bf16Fp32, { generalOnly: true }), A, B);
    expect(Array.from(got.tensor.data)).to.deep.equal(Array.from(want.tensor.data));
    expect(got.flags).to.equal(want.flags);
    expect(got.stats).to.deep.equal(want.stats);
    return (want.flags & Flag.underflow) !== 0;
  }
  it('bounds per row of A: rows of ordinary values next to rows whose sums fall below 2^-126 (bf16 × bf16 → fp32)', function () {
    // Even rows of A near 2^-20..2^17, odd rows near 2^-92..2^-73, B near 2^-60..2^-43: the even rows'
    // products are multiples of a power of two above 2^-126 (no tiny sum: the loop without range
    // test), the odd rows' fall below fp32's 2^-126 (underflow). A row measured with another row's
    // bounds gives wrong flags.
    let underflow = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1 << 30 }), (M, K, N, seed) => {
        let x = seed;
        const r = (lo: number, hi: number) => lo + ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) % (hi - lo + 1));
        const val = (e0: number, e1: number) => r(-127, 127) * 2 ** r(e0, e1);
        const av = Array.from({ length: M * K }, (_, i) => (Math.floor(i / K) % 2 ? val(-92, -80) : val(-20, 10)));
        if (sameBf16(M, K, N, av, Array.from({ length: K * N }, () => val(-60, -50)))) underflow++;
      }),
      { seed: 79, numRuns: LEVEL === 'full' ? 3000 : 300 },
    );
    expect(underflow, 'calls with an underflow').to.be.greaterThan(LEVEL === 'full' ? 100 : 10);
  });
  it('bf16 × bf16 → fp32: the same codes, flags and statistics as the general engine, with and without tiny sums', function () {
    // Values with few significant bits at moderate exponents (every product a multiple of ≥ 2^-60),
    // and, in the other runs, values near 2^-72 whose products and cancelling sums fall below 2^-126.
    const valueArb = (tiny: boolean) =>
      fc.tuple(fc.integer({ min: -255, max: 255 }), fc.integer({ min: tiny ? -78 : -20, max: tiny ? -66 : 10 })).map(([m, e]) => m * 2 ** e);
    for (const tiny of [false, true]) {
      let underflow = 0;
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1 << 30 }), (M, K, N, seed) => {
          let x = seed;
          const pick = (vs: number[]) => vs[(x = (Math.imul(x, 1664525) + 1013904223) >>> 0) % vs.length]!;
          const pool = fc.sample(valueArb(tiny), { numRuns: 32, seed });
          const av = Array.from({ length: M * K }, () => pick(pool));
          if (sameBf16(M, K, N, av, Array.from({ length: K * N }, () => pick(pool)))) underflow++;
        }),
        { seed: tiny ? 77 : 78, numRuns: LEVEL === 'full' ? 3000 : 300 },
      );
      if (tiny) expect(underflow, 'calls with an underflow').to.be.greaterThan(LEVEL === 'full' ? 100 : 10);
    }
  });
});
