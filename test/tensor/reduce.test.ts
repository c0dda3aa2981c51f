/**
 * Reductions. `sum` adds in increasing index along the axis from +0, rounding after every addition,
 * addition i using the flat input index of its element as stochastic index: checked (1) against a
 * fold of the scalar `add` when the accumulator has the elements' format, (2) against the
 * independent oracle (exact rationals, one rounding per addition) when it does not, (3) by a
 * recording accumulator that sees the order and the indices. `max` against a naive fold.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { parseFixedFormat } from '../../src/formats/fixed.js';
import type { FloatSpec } from '../../src/formats/float.js';
import { Flag } from '../../src/flags.js';
import { add as addS, decode } from '../../src/ops/float/index.js';
import { fixedAdd } from '../../src/ops/fixed/index.js';
import { context, ROUNDING_MODES } from '../../src/round/modes.js';
import { srUniform } from '../../src/round/random.js';
import { exactAdd } from '../../src/formats/exact-arith.js';
import type { ExactValue } from '../../src/formats/exact.js';
import { decodeExact, fromExact } from '../../src/ops/float/index.js';
import {
  copy,
  fromNumbers,
  max,
  permute,
  sum,
  tensor,
  toNumbers,
  transpose,
  type Accumulator,
  type TensorSpec,
} from '../../src/tensor/index.js';
import { toOFormat } from '../support/bridge.js';
import { oDecode, oRoundRational, type OCtx, type ORational } from '../oracle/float.js';
import { oFixedFromRational, type OFixed } from '../oracle/fixed.js';
import * as Q from '../oracle/rational.js';

import { allIndices, prod } from '../support/indices.js';

const flatIndex = (shape: readonly number[], idx: readonly number[]): number => idx.reduce((a, x, i) => a * shape[i]! + x, 0);

/** For each output index of a reduction over `axis`: the input indices it reduces, in order. */
function groups(shape: readonly number[], axis: number | null): number[][][] {
  if (axis === null) return [allIndices(shape)];
  const outShape = shape.filter((_, i) => i !== axis);
  return allIndices(outShape).map((o) => Array.from({ length: shape[axis]! }, (_, k) => [...o.slice(0, axis), k, ...o.slice(axis)]));
}

const shapeAxisArb = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.oneof(fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.constant(null))));

describe('sum (seed 17)', function () {
  it('in the elements’ own format equals a fold of the scalar add from +0 in index order, stochastic index = flat input index', function () {
    const formats: FloatSpec[] = [catalog.e4m3fn, catalog.e5m2, catalog.fp16, catalog.bf16, catalog.e2m1fn, catalog.e4m3fnuz];
    fc.assert(
      fc.property(fc.constantFrom(...formats), shapeAxisArb, fc.constantFrom(...ROUNDING_MODES), fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 }), (s, [shape, axis], mode, view, seed) => {
        const codes = fc.sample(fc.array(fc.integer({ min: 0, max: 2 ** s.width - 1 }), { minLength: prod(shape), maxLength: prod(shape) }), { seed, numRuns: 1 })[0]!;
        // The input as given, or as a strided view with the same logical content.
        const base = tensor(s, shape, codes);
        const rev = shape.map((_, i) => shape.length - 1 - i);
        const t = view ? transpose(copy(transpose(base)), rev) : base;
        const ctx = context({ rounding: mode, srBits: 5, seed: 3 });
        const got = sum(t, axis, { format: s, ctx });
        let flags = 0;
        const ax = axis === null ? null : axis < 0 ? axis + shape.length : axis;
        const want = groups(shape, ax).map((g) =>
          g.reduce((acc, idx) => {
            const r = addS(s, acc, t.get(idx), ctx, flatIndex(shape, idx));
            flags |= r.flags;
            return r.code as number;
          }, 0),
        );
        expect(got.tensor.shape).to.deep.equal(ax === null ? [] : shape.filter((_, i) => i !== ax));
        expect(Array.from(got.tensor.data)).to.deep.equal(want);
        expect(got.flags).to.equal(flags);
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('in another float format rounds each exact acc + x once, as the oracle does', function () {
    // (elements, accumulator, largest |element| so that no sum overflows)
    const pairs: [TensorSpec, FloatSpec, number][] = [
      [catalog.fp16, catalog.bf16, 65504],
      [catalog.bf16, catalog.fp16, 1024],
      [catalog.e4m3fn, catalog.e5m2, 448],
      [catalog.e2m1fn, catalog.e4m3fn, 6],
      [catalog.fp32, catalog.e5m2, 4096],
      [catalog.fp16, catalog.e4m3fnuz, 16],
      [parseFixedFormat('s12.6'), catalog.fp16, 64],
      [parseFixedFormat('u10.12'), catalog.e5m2, 1],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
        fc.constantFrom(...ROUNDING_MODES),
        fc.constantFrom<'before' | 'after'>('before', 'after'),
        fc.integer({ min: 0, max: 2 ** 31 }),
        ([es, F, lim], shape, mode, tininess, seed) => {
          const n = prod(shape);
          const values = fc.sample(
            fc.array(fc.oneof(fc.double({ min: -lim, max: lim, noNaN: true }), fc.constantFrom(0, -0, lim, -lim, 2 ** -20, -(2 ** -14))), { minLength: n, maxLength: n }),
            { seed, numRuns: 1 },
          )[0]!;
          const t = fromNumbers(es, shape, values).tensor;
          const ctx = context({ rounding: mode, tininess, srBits: 6, seed: 99, stream: 2 });
          const axis = shape.length - 1;
          const got = sum(t, axis, { format: F, ctx });
          // The oracle: acc is a rational or a signed zero; each step rounds exactly once.
          const of = toOFormat(F);
          const value = (idx: number[]): ORational | '+0' | '-0' => {
            if (es.kind === 'float') {
              const v = oDecode(toOFormat(es), BigInt(t.get(idx)));
              if (typeof v === 'string' && v !== '+0' && v !== '-0') throw new Error('finite inputs only');
              return v as ORational | '+0' | '-0';
            }
            const raw = BigInt(t.get(idx));
            return raw === 0n ? '+0' : Q.rat(raw, 1n << BigInt(es.frac));
          };
          let flags = 0;
          const want = groups(shape, axis).map((g) => {
            let acc: ORational | '+0' | '-0' = '+0';
            let code = 0n;
            for (const idx of g) {
              const x = value(idx);
              const ax = typeof acc === 'string' ? Q.ZERO : acc;
              const xx = typeof x === 'string' ? Q.ZERO : x;
              const s = Q.add(ax, xx);
              if (Q.isZero(s)) {
                const bothNeg: boolean = acc === '-0' && x === '-0';
                const bothZero: boolean = typeof acc === 'string' && typeof x === 'string';
                const neg: boolean = bothZero ? bothNeg || (acc !== x && mode === 'rdn') : mode === 'rdn';
                const negOk = F.hasNegZero;
                code = neg && negOk ? 1n << BigInt(F.width - 1) : 0n;
                acc = neg && negOk ? '-0' : '+0';
              } else {
                const octx: OCtx = { mode, tininess };
                if (mode === 'sr') {
                  octx.srBits = 6;
                  octx.srU = srUniform(99, 2, flatIndex(shape, idx), 6);
                }
                const r = oRoundRational(of, s, octx);
                flags |= r.flags;
                code = r.code;
                const d = oDecode(of, r.code);
                acc = typeof d === 'string' ? (d === '-0' ? '-0' : '+0') : d;
                if (d === 'nan' || d === '+inf' || d === '-inf') throw new Error('the test keeps sums finite');
              }
            }
            return Number(code);
          });
          expect(Array.from(got.tensor.data), `${es.name} into ${F.name} ${mode}`).to.deep.equal(want);
          expect(got.flags).to.equal(flags);
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });

  it('in a fixed format equals a fold of fixedAdd, and rounds float addends once, as the oracle does', function () {
    const F = parseFixedFormat('s12.4:RND_CONV:SAT');
    const s8 = parseFixedFormat('s8.3');
    const t = fromNumbers(s8, [3, 4], [1.125, 15.875, -16, 3.5, 0.375, 0.25, -0.125, 7, 15, 15, 15, 15]).tensor;
    const ctx = context({ srBits: 4, seed: 1 });
    const got = sum(t, 1, { format: F, ctx });
    let flags = 0;
    const want = [0, 1, 2].map((r) =>
      [0, 1, 2, 3].reduce((acc, c) => {
        const x = fixedAdd(F, acc, s8, t.get([r, c]), F, ctx, r * 4 + c);
        flags |= x.flags;
        return x.raw as number;
      }, 0),
    );
    expect(Array.from(got.tensor.data)).to.deep.equal(want);
    expect(got.flags).to.equal(flags);
    expect(toNumbers(got.tensor)).to.deep.equal(Float64Array.of(4.5, 7.5, 60));
    // fp16 addends into a stochastic fixed accumulator: each step is one SR quantisation of acc + x.
    const G = parseFixedFormat('s10.3:SR:SAT');
    const oG: OFixed = { width: 10, frac: 3, signed: true, quant: 'SR', overflow: 'SAT', satBits: 0 };
    const xs = [0.3, -1.7, 20.01, 5.55, -0.05, 63.9];
    const h = fromNumbers(catalog.fp16, [6], xs).tensor;
    const sctx = context({ srBits: 7, seed: 8, stream: 4 });
    const r = sum(h, 0, { format: G, ctx: sctx });
    let acc: ORational = Q.ZERO;
    let oflags = 0;
    xs.forEach((_, i) => {
      const v = oDecode(toOFormat(catalog.fp16), BigInt(h.get([i]))) as ORational;
      const e = Q.add(acc, v);
      const o = oFixedFromRational(oG, e.num * 8n, e.den, 7, srUniform(8, 4, i, 7));
      oflags |= o.flags;
      const raw = o.raw >= 512n ? o.raw - 1024n : o.raw;
      acc = Q.rat(raw, 8n);
    });
    expect(toNumbers(r.tensor)[0]).to.equal(Number(acc.num) / Number(acc.den));
    expect(r.flags).to.equal(oflags);
  });

  it('exactAdd then fromExact equals the scalar add for operands of one format (the two paths agree)', function () {
    fc.assert(
      fc.property(
        fc.constantFrom(catalog.e4m3fn, catalog.e5m2, catalog.fp16, catalog.e2m1fn, catalog.e4m3fnuz, catalog.e3m2fn),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...ROUNDING_MODES),
        (s, x, y, mode) => {
          const a = x % 2 ** s.width;
          const b = y % 2 ** s.width;
          const ea = decodeExact(s, a);
          const eb = decodeExact(s, b);
          if ((ea.kind !== 'finite' && ea.kind !== 'zero') || (eb.kind !== 'finite' && eb.kind !== 'zero')) return;
          const ctx = context({ rounding: mode, srBits: 5, seed: 2 });
          const want = addS(s, a, b, ctx, 7);
          const got = fromExact(s, exactAdd(ea, eb, false, mode) as ExactValue, ctx, 7);
          expect(got).to.deep.equal(want);
        },
      ),
      { seed: 17, numRuns: 3000 },
    );
  });

  it('feeds an Accumulator the elements in index order along the axis, with flat input indices, per output element', function () {
    const s = catalog.fp16;
    const base = tensor(s, [2, 3, 4], Array.from({ length: 24 }, (_, i) => i));
    const t = permute(base, [1, 2, 0]); // shape [3, 4, 2]; t[i,j,k] = base[k,i,j] = code 12k + 4i + j
    const calls: [number, number, number][] = [];
    const rec: Accumulator<FloatSpec> = {
      format: s,
      init: 0x7777,
      add(acc, spec, code, index) {
        expect(spec).to.equal(s);
        calls.push([acc, code, index]);
        return { code: code, flags: index === 13 ? Flag.inexact : 0 };
      },
    };
    const r = sum(t, 1, rec);
    expect(r.tensor.shape).to.deep.equal([3, 2]);
    expect(r.flags).to.equal(Flag.inexact);
    // output (0,0) adds t[0,0,0], t[0,1,0], t[0,2,0], t[0,3,0]: codes 0, 1, 2, 3 at flat indices 0, 2, 4, 6
    expect(calls.slice(0, 4)).to.deep.equal([
      [0x7777, 0, 0],
      [0, 1, 2],
      [1, 2, 4],
      [2, 3, 6],
    ]);
    // output (0,1): codes 12..15 at flat indices 1, 3, 5, 7; then output (1,0) starts at flat index 8
    expect(calls.slice(4, 9)).to.deep.equal([
      [0x7777, 12, 1],
      [12, 13, 3],
      [13, 14, 5],
      [14, 15, 7],
      [0x7777, 4, 8],
    ]);
    expect(calls.length).to.equal(24);
    expect(Array.from(r.tensor.data)).to.deep.equal([3, 15, 7, 19, 11, 23]);
  });

  it('sums every element in row-major order with axis null, and gives +0 for an empty axis', function () {
    const t = fromNumbers(catalog.e5m2, [2, 2], [1, 2, 3, 4]).tensor;
    const r = sum(transpose(t), null, { format: catalog.fp32 });
    expect(r.tensor.shape).to.deep.equal([]);
    expect(toNumbers(r.tensor)).to.deep.equal(Float64Array.of(10));
    const e = tensor(catalog.fp16, [3, 0]);
    const z = sum(e, 1, { format: catalog.bf16 });
    expect([z.tensor.shape, Array.from(z.tensor.data)]).to.deep.equal([[3], [0, 0, 0]]);
    expect(Array.from(sum(e, null, { format: catalog.bf16 }).tensor.data)).to.deep.equal([0]);
  });

  it('shows swamping: 4096 ones summed in bf16 stop at 256', function () {
    const ones = fromNumbers(catalog.fp16, [4096], new Array<number>(4096).fill(1)).tensor;
    const r = sum(ones, 0, { format: catalog.bf16 });
    expect(toNumbers(r.tensor)).to.deep.equal(Float64Array.of(256));
    expect(r.flags).to.equal(Flag.inexact);
    expect(toNumbers(sum(ones, 0, { format: catalog.fp32 }).tensor)).to.deep.equal(Float64Array.of(4096));
  });

  it('handles NaN and infinite addends of another format by converting them first', function () {
    const t = tensor(catalog.fp16, [4], [0x3c00, 0x7c00, 0xfc00, 0x3c00]); // 1, +inf, -inf, 1
    const r = sum(t, 0, { format: catalog.e4m3fn });
    expect(Array.from(r.tensor.data)).to.deep.equal([0x7f]); // inf → NaN (e4m3fn has no inf), invalid
    expect(r.flags & Flag.invalid).to.equal(Flag.invalid);
    const b = sum(tensor(catalog.fp16, [2], [0x7c00, 0x3c00]), 0, { format: catalog.bf16 });
    expect([Array.from(b.tensor.data), b.flags]).to.deep.equal([[0x7f80], 0]);
    const n = sum(tensor(catalog.fp16, [3], [0x3c00, 0x7d00, 0x3c00]), 0, { format: catalog.fp32 }); // a signalling NaN
    expect([Array.from(n.tensor.data), n.flags]).to.deep.equal([[0x7fe00000], Flag.invalid]);
  });
});

describe('max (seed 19)', function () {
  function naiveMax(s: FloatSpec, codes: number[]): { code: number; flags: number } {
    // Any NaN: the first NaN quieted (through the library's NaN rule); invalid if any is signalling.
    const firstNaN = codes.findIndex((c) => Number.isNaN(decode(s, c)));
    if (firstNaN >= 0) {
      let flags = 0;
      for (const c of codes) if (Number.isNaN(decode(s, c))) flags |= addS(s, c, c).flags;
      return { code: addS(s, codes[firstNaN]!, codes[firstNaN]!).code as number, flags };
    }
    let best = codes[0]!;
    for (const c of codes.slice(1)) {
      const vb = decode(s, best);
      const vc = decode(s, c);
      if (vc > vb || (vc === 0 && vb === 0 && Object.is(vb, -0) && !Object.is(vc, -0))) best = c;
    }
    return { code: best, flags: 0 };
  }

  it('returns the largest element (+0 over -0) or the first NaN, quieted, with invalid for a signalling NaN', function () {
    fc.assert(
      fc.property(fc.constantFrom(catalog.fp16, catalog.e4m3fn, catalog.e5m2, catalog.bf16, catalog.e2m1fn), shapeAxisArb, fc.integer({ min: 0, max: 2 ** 31 }), (s, [shape, axis], seed) => {
        const codes = fc.sample(
          fc.array(fc.oneof(fc.integer({ min: 0, max: 2 ** s.width - 1 }), fc.constantFrom(0, 2 ** (s.width - 1))), { minLength: prod(shape), maxLength: prod(shape) }),
          { seed, numRuns: 1 },
        )[0]!;
        const t = tensor(s, shape, codes);
        const r = max(t, axis);
        const ax = axis === null ? null : axis < 0 ? axis + shape.length : axis;
        let flags = 0;
        const want = groups(shape, ax).map((g) => {
          const m = naiveMax(s, g.map((i) => t.get(i)));
          flags |= m.flags;
          return m.code;
        });
        expect(Array.from(r.tensor.data)).to.deep.equal(want);
        expect(r.flags).to.equal(flags);
        expect(r.tensor.spec).to.equal(s);
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('of fixed-point raw values, and of a single signalling NaN (quieted, invalid)', function () {
    const f = parseFixedFormat('s8.2');
    const t = fromNumbers(f, [2, 3], [-1, 3.25, -8, -0.25, -0.5, -32]).tensor;
    expect(toNumbers(max(t, 1).tensor)).to.deep.equal(Float64Array.of(3.25, -0.25));
    expect(toNumbers(max(t, -2).tensor)).to.deep.equal(Float64Array.of(-0.25, 3.25, -8));
    expect(toNumbers(max(t, null).tensor)).to.deep.equal(Float64Array.of(3.25));
    const one = max(tensor(catalog.fp16, [1], [0x7d00]), 0);
    expect([Array.from(one.tensor.data), one.flags]).to.deep.equal([[0x7f00], Flag.invalid]);
  });
});
