/**
 * The MAC engine against an independent reference written here over the oracle (exact rationals and
 * the oracle's rounding, nothing from src/ but the spec being modelled): random float MAC specs
 * (operand formats, exact or rounded products, fused or separate, sequential, chunked or tree
 * summation, directed and nearest modes), random operands including signed zeros. Plus: the Wang 2018
 * swamping effect, integer units against the x86 VNNI preset, Gupta's fixed unit against the fixed
 * oracle, statistics, stochastic reproducibility, and spec validation errors.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { floatFormat, type FloatSpec } from '../../src/formats/float.js';
import { fixedFormat } from '../../src/formats/fixed.js';
import { encode, decode } from '../../src/ops/float/index.js';
import { context, type RoundingMode } from '../../src/round/modes.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import type { MacSpec, Summation } from '../../src/accum/mac-spec.js';
import { intFormat } from '../../src/accum/types.js';
import { PAPER_PRESETS, wang2018Chunk64, wang2018Sequential, gupta2015Nearest } from '../../src/accum/presets/papers.js';
import { X86_PRESETS } from '../../src/accum/presets/x86.js';
import { oDecode, oRoundRational, type OFormat } from '../oracle/float.js';
import * as Q from '../oracle/rational.js';
import { oFixedFromRational, oFixedValue } from '../oracle/fixed.js';
import { LEVEL, toOFormat } from '../support/bridge.js';
import { finiteCodeArb } from '../../src/testing/index.js';

// ---- the reference: values are rationals, or a signed zero -----------------------------------------
type V = { z: true; neg: boolean } | { z: false; q: Q.ORational };

function decodeV(f: OFormat, code: bigint): V | 'special' {
  const d = oDecode(f, code);
  if (d === '+0' || d === '-0') return { z: true, neg: d === '-0' };
  if (typeof d === 'string') return 'special';
  return { z: false, q: d };
}
function negOf(v: V): boolean {
  return v.z ? v.neg : Q.sign(v.q) < 0;
}
function mulV(x: V, y: V): V {
  if (x.z || y.z) return { z: true, neg: negOf(x) !== negOf(y) };
  return { z: false, q: Q.mul(x.q, y.q) };
}
/** IEEE addition of exact values: an exact zero sum is +0 (-0 in rdn) unless both addends are zeros of one sign. */
function addV(x: V, y: V, mode: RoundingMode): V {
  const qx = x.z ? Q.ZERO : x.q;
  const qy = y.z ? Q.ZERO : y.q;
  const s = Q.add(qx, qy);
  if (!Q.isZero(s)) return { z: false, q: s };
  if (x.z && y.z && x.neg === y.neg) return { z: true, neg: x.neg };
  return { z: true, neg: mode === 'rdn' };
}
/** Rounds into a format with the oracle; 'special' when the result is not finite (overflow). */
function roundV(f: OFormat, v: V, mode: RoundingMode): V | 'special' {
  if (v.z) return v.neg && f.specials !== 'fnuz' ? { z: true, neg: true } : { z: true, neg: false };
  const r = oRoundRational(f, v.q, { mode, tininess: 'after' });
  return decodeV(f, r.code);
}

function reference(spec: MacSpec, accO: OFormat, prodO: OFormat | null, mode: RoundingMode, aO: OFormat, bO: OFormat, a: bigint[], b: bigint[], c: bigint): V | 'special' {
  const prods: V[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = decodeV(aO, a[i]!);
    const y = decodeV(bO, b[i]!);
    if (x === 'special' || y === 'special') return 'special';
    let p: V | 'special' = mulV(x, y);
    if (prodO) p = roundV(prodO, p, mode);
    else if (!spec.fused) p = roundV(accO, p, mode);
    if (p === 'special') return 'special';
    prods.push(p);
  }
  const c0 = decodeV(accO, c);
  if (c0 === 'special') return 'special';
  const addInto = (acc: V, p: V): V | 'special' => roundV(accO, addV(acc, p, mode), mode);
  let acc: V | 'special' = c0;
  const sum = spec.summation;
  if (sum.kind === 'sequential') {
    for (const p of prods) {
      acc = addInto(acc as V, p);
      if (acc === 'special') return acc;
    }
  } else if (sum.kind === 'chunked') {
    for (let s = 0; s < prods.length; s += sum.chunk) {
      let inner: V | 'special' = { z: true, neg: false };
      for (const p of prods.slice(s, s + sum.chunk)) {
        inner = addInto(inner as V, p);
        if (inner === 'special') return inner;
      }
      acc = addInto(acc as V, inner as V);
      if (acc === 'special') return acc;
    }
  } else if (sum.kind === 'tree') {
    let level: V[] = prods;
    while (level.length > 1) {
      const up: V[] = [];
      for (let g = 0; g < level.length; g += sum.fanIn) {
        let e: V = { z: true, neg: false };
        for (const v of level.slice(g, g + sum.fanIn)) e = addV(e, v, mode);
        const r = roundV(accO, e, mode);
        if (r === 'special') return r;
        up.push(r);
      }
      level = up;
    }
    if (level.length === 1) acc = addInto(acc as V, level[0]!);
  }
  return acc;
}

function sameV(x: V, code: number | bigint, f: FloatSpec): boolean {
  const d = decode(f, code);
  if (x.z) return d === 0 && Object.is(d, x.neg ? -0 : 0);
  return Q.eq(x.q, Q.rat(...ratOf(d)));
}
function ratOf(d: number): [bigint, bigint] {
  // d is a finite binary64 value: an integer times a power of two.
  let e = 0;
  let m = d;
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  return [BigInt(m), 1n << BigInt(e)];
}

const OPERANDS: FloatSpec[] = [catalog.e4m3fn, catalog.e5m2, catalog.fp16, catalog.bf16];
const ACCS: FloatSpec[] = [catalog.fp32, catalog.bf16, catalog.fp16, catalog.ibm_fp16_169, floatFormat({ expBits: 8, manBits: 10 }), floatFormat({ expBits: 8, manBits: 4 })];
const MODES: RoundingMode[] = ['rne', 'rtz', 'rup', 'rdn', 'rna'];

const summationArb: fc.Arbitrary<Summation> = fc.oneof(
  fc.constant<Summation>({ kind: 'sequential' }),
  fc.integer({ min: 1, max: 9 }).map((chunk) => ({ kind: 'chunked', chunk, inner: { kind: 'exact' } }) as Summation),
  fc.integer({ min: 2, max: 4 }).map((fanIn) => ({ kind: 'tree', fanIn }) as Summation),
);

describe('the MAC engine agrees with an independent reference (fast-check, seed 31)', function () {
  it('float units: every summation order, fused or separate, exact or rounded products, every directed mode', function () {
    const caseArb = fc
      .record({
        af: fc.constantFrom(...OPERANDS),
        bf: fc.constantFrom(...OPERANDS),
        acc: fc.constantFrom(...ACCS),
        mode: fc.constantFrom(...MODES),
        fused: fc.boolean(),
        roundProduct: fc.boolean(),
        summation: summationArb,
        k: fc.integer({ min: 0, max: 24 }),
      })
      .chain((r) =>
        fc.record({
          r: fc.constant(r),
          a: fc.array(finiteCodeArb(r.af), { minLength: r.k, maxLength: r.k }),
          b: fc.array(finiteCodeArb(r.bf), { minLength: r.k, maxLength: r.k }),
          c: finiteCodeArb(r.acc),
        }),
      );
    let checked = 0;
    fc.assert(
      fc.property(caseArb, ({ r, a, b, c }) => {
        const ctx = context({ rounding: r.mode });
        const summation: Summation = r.summation.kind === 'chunked' ? { ...r.summation, inner: { kind: 'float', format: r.acc, ctx } } : r.summation;
        const spec: MacSpec = {
          a: r.af,
          b: r.bf,
          product: r.roundProduct ? { kind: 'round', format: catalog.fp16, ctx } : { kind: 'exact' },
          fused: r.fused,
          acc: { kind: 'float', format: r.acc, ctx },
          summation,
        };
        const want = reference(spec, toOFormat(r.acc), r.roundProduct ? toOFormat(catalog.fp16) : null, r.mode, toOFormat(r.af), toOFormat(r.bf), a.map(BigInt), b.map(BigInt), BigInt(c));
        if (want === 'special') return; // overflow to ∞/NaN: covered by the scalar operations' tests
        const got = macUnit(spec).dot(a, b, c);
        checked++;
        expect(sameV(want, got.code, r.acc), `${summation.kind} ${r.mode} fused=${r.fused} rounded=${r.roundProduct}: got ${decode(r.acc, got.code)}`).to.equal(true);
      }),
      { seed: 31, numRuns: LEVEL === 'full' ? 5000 : 600 },
    );
    expect(checked).to.be.greaterThan(300);
  });
});

describe('MAC presets and statistics', function () {
  const e5 = (x: number) => encode(catalog.e5m2, x).code as number;
  it('reproduces Wang 2018: chunk-64 (1,6,9) accumulation recovers the addends a sequential one swamps', function () {
    const a = [e5(2048), ...Array(199).fill(e5(0.25))];
    const b = Array(200).fill(e5(1));
    const seq = macUnit(wang2018Sequential).dot(a, b, 0);
    const chunk = macUnit(wang2018Chunk64).dot(a, b, 0);
    expect(decode(catalog.ibm_fp16_169, seq.code)).to.equal(2048);
    expect(seq.stats.swamped).to.equal(199);
    expect(decode(catalog.ibm_fp16_169, chunk.code)).to.equal(2080); // exact: 2097.75
    expect(chunk.stats.swamped).to.equal(64);
  });
  it('an int16 × int16 → int32 wrapping unit equals the x86 VPDPWSSD preset (wrapping is associative)', function () {
    const unit = macUnit({ a: intFormat(16, true), b: intFormat(16, true), product: { kind: 'exact' }, fused: true, acc: { kind: 'int', format: intFormat(32, true), overflow: 'wrap' }, summation: { kind: 'sequential' } });
    const vpdpwssd = X86_PRESETS.find((u) => u.name === 'x86-vpdpwssd')!;
    fc.assert(
      fc.property(fc.array(fc.nat(0xffff), { minLength: 2, maxLength: 2 }), fc.array(fc.nat(0xffff), { minLength: 2, maxLength: 2 }), fc.nat(0xffffffff), (a, b, c) => {
        expect(Number(unit.dot(a, b, c).code)).to.equal(Number(vpdpwssd.dot(a, b, c).code));
      }),
      { seed: 5, numRuns: 500 },
    );
  });
  it('counts saturations of a saturating int8 → int32 unit and wraps in the wrapping one', function () {
    const sat = PAPER_PRESETS.find((u) => u.name === 'int8-int32-sat')!;
    const wrap = PAPER_PRESETS.find((u) => u.name === 'int8-int32-wrap')!;
    const a = [0x80, 0x80];
    const b = [0x80, 0x80]; // (-128)·(-128) twice = 32768
    const c = 0x7fffff00; // near 2^31 - 1
    const s = sat.dot(a, b, c);
    expect(s.code).to.equal(0x7fffffff);
    expect(s.stats.saturations).to.be.greaterThan(0);
    expect(Number(wrap.dot(a, b, c).code)).to.equal((0x7fffff00 + 32768) % 2 ** 32);
  });
  it('counts an overflowing output or product rounding as a saturation when its format saturates (general engine and fast path)', function () {
    // Gupta's unit: exact sum, one rounding into s16.12 SAT: 4 + 4 = 8 overflows s16.12 (max < 8).
    const four = 0x4000; // 4.0 in s16.12
    const one = 0x1000;
    for (const generalOnly of [false, true]) {
      const g = macUnit(gupta2015Nearest, { generalOnly });
      const r = g.dot([four, four], [one, one], 0);
      expect([Number(r.code), r.stats.overflows, r.stats.saturations], `gupta generalOnly=${generalOnly}`).to.deep.equal([0x7fff, 1, 1]);
      // The same sum into a wrapping output: an overflow, no saturation.
      const w = macUnit({ ...gupta2015Nearest, output: { format: fixedFormat({ width: 16, frac: 12, overflow: 'WRAP' }) } }, { generalOnly });
      const rw = w.dot([four, four], [one, one], 0);
      expect([Number(rw.code), rw.stats.overflows, rw.stats.saturations], `wrap generalOnly=${generalOnly}`).to.deep.equal([0x8000, 1, 0]);
    }
    // fp32 accumulator, output rounded into e4m3 with the saturate policy vs IEEE-style fp16 (∞).
    const sat = floatFormat({ expBits: 4, manBits: 3, specials: 'fn', overflow: 'saturate' });
    const base = { a: catalog.fp16, b: catalog.fp16, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } } as const;
    const big = encode(catalog.fp16, 1000).code as number;
    for (const generalOnly of [false, true]) {
      const u = macUnit({ ...base, output: { format: sat } }, { generalOnly });
      const r = u.dot([big], [big], 0);
      expect([Number(r.code), r.stats.overflows, r.stats.saturations], `e4m3 saturate generalOnly=${generalOnly}`).to.deep.equal([0x7e, 1, 1]);
      const v = macUnit({ ...base, output: { format: catalog.fp16 } }, { generalOnly });
      const rv = v.dot([big], [big], 0);
      expect([Number(rv.code), rv.stats.overflows, rv.stats.saturations], `fp16 generalOnly=${generalOnly}`).to.deep.equal([0x7c00, 1, 0]);
    }
    // A product rounded into a saturating format (general engine: the fast path hands it over).
    const p = macUnit({ ...base, product: { kind: 'round', format: sat, ctx: context() } });
    const rp = p.dot([big, big], [big, big], 0);
    expect([rp.stats.overflows, rp.stats.saturations]).to.deep.equal([2, 2]);
  });
  it("Gupta's fixed unit rounds the exact sum once, as the fixed oracle does", function () {
    const unit = macUnit(gupta2015Nearest);
    const t = { width: 16, frac: 12, signed: true, quant: 'RND_CONV' as const, overflow: 'SAT' as const, satBits: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(0xffff), fc.nat(0xffff)), { minLength: 1, maxLength: 20 }), fc.nat(0xffff), (pairs, c) => {
        let num = 0n;
        let den = 1n;
        const add = (n: bigint, d: bigint) => {
          num = num * d + n * den;
          den = den * d;
        };
        const cv = oFixedValue(t, BigInt(c));
        add(cv.num, cv.den);
        for (const [x, y] of pairs) {
          const vx = oFixedValue(t, BigInt(x));
          const vy = oFixedValue(t, BigInt(y));
          add(vx.num * vy.num, vx.den * vy.den);
        }
        const want = oFixedFromRational(t, num, den);
        const got = unit.dot(pairs.map((p) => p[0]), pairs.map((p) => p[1]), c);
        expect(BigInt(got.code)).to.equal(want.raw);
      }),
      { seed: 6, numRuns: 500 },
    );
  });
  it('gives the same bits for the same stochastic index, and uses the index', function () {
    const spec: MacSpec = { ...wang2018Sequential, acc: { kind: 'float', format: catalog.ibm_fp16_169, ctx: context({ rounding: 'sr', srBits: 10, seed: 9 }) } };
    const u = macUnit(spec);
    const a = [e5(2048), ...Array(63).fill(e5(0.75))];
    const b = Array(64).fill(e5(1));
    const r1 = u.dot(a, b, 0, 17);
    expect(u.dot(a, b, 0, 17)).to.deep.equal(r1);
    const outs = new Set(Array.from({ length: 20 }, (_, i) => u.dot(a, b, 0, i).code));
    expect(outs.size).to.be.greaterThan(1);
  });
  it('rejects bad specs, naming the field', function () {
    const bad = (s: Partial<MacSpec>) => () => macUnit({ ...wang2018Chunk64, ...s } as MacSpec);
    expect(bad({ summation: { kind: 'chunked', chunk: 0, inner: { kind: 'exact' } } })).to.throw(RangeError, /summation.chunk: must be an integer >= 1, got 0/);
    expect(bad({ summation: { kind: 'tree', fanIn: 1 } })).to.throw(RangeError, /summation.fanIn: must be an integer >= 2/);
    expect(bad({ acc: { kind: 'exact' } })).to.throw(RangeError, /output: an exact accumulator needs an output format/);
    expect(bad({ acc: { kind: 'int', format: intFormat(32, true), overflow: 'clamp' as never } })).to.throw(RangeError, /acc.overflow: must be "wrap" or "saturate"/);
    expect(() => macUnit(wang2018Chunk64).dot([1, 2], [1], 0)).to.throw(RangeError, /b: length 1 differs from a's length 2/);
  });
});
