/**
 * The bit-level array kernels (`_internal/bits.ts`: ties to even and stochastic rounding on binary64
 * bit patterns, the two-stage fp16/bf16 fma) against the independent oracle and the scalar operations,
 * results and flags bit for bit:
 * - fmaArray (rne): every fp16 code as a, as b and as c with seeded partners, against the oracle; sums
 *   whose binary64 value is inexact (the round-to-odd "jam"), including bf16 ties decided by a tiny
 *   addend; random formats of ≤ 16 bits; chunk and tail structure with specials in every position.
 * - encodeArray (sr): every e4m3fn code and points between it and its neighbour at several indices,
 *   against the oracle; random doubles for e5m2, fp16, bf16; every r; indices across 2^32.
 * Seeds are fixed. `BITEXACT_LEVEL=full` draws more partners per code.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../../src/formats/catalog.js';
import { floatFormat, type FloatSpec } from '../../../src/formats/float.js';
import { decode, encode, encodeArray, fma, fmaArray } from '../../../src/ops/float/index.js';
import { context, type RoundingMode } from '../../../src/round/modes.js';
import { srUniform } from '../../../src/round/random.js';
import { floatFormatArb } from '../../../src/testing/index.js';
import { oFma, oFromNumber, type OCtx } from '../../oracle/float.js';
import { LEVEL, Mismatches, hex, toOFormat } from '../../support/bridge.js';

const FULL = LEVEL === 'full';
const TWO32 = 4294967296;

/** A seeded 32-bit LCG (Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

function arrayFor(s: FloatSpec, n: number): Uint8Array | Uint16Array {
  return s.width <= 8 ? new Uint8Array(n) : new Uint16Array(n);
}

/** fmaArray over (a, b, c) against the scalar fma, element by element; returns the mismatches. */
function checkFmaArray(s: FloatSpec, a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, mode: RoundingMode, tininess: 'before' | 'after', what: string, withFlags = true): void {
  const n = a.length;
  const A = arrayFor(s, n);
  const B = arrayFor(s, n);
  const C = arrayFor(s, n);
  A.set(a);
  B.set(b);
  C.set(c);
  const out = arrayFor(s, n);
  const fl = new Uint8Array(n);
  const ctx = context({ rounding: mode, tininess, srBits: 7, seed: 21 });
  const all = fmaArray(s, A, B, C, out, ctx, withFlags ? fl : undefined, 5);
  const mm = new Mismatches();
  let or = 0;
  for (let i = 0; i < n; i++) {
    const r = fma(s, A[i]!, B[i]!, C[i]!, ctx, 5 + i);
    or |= r.flags;
    mm.checked++;
    if (out[i] !== r.code || (withFlags && fl[i] !== r.flags)) {
      mm.add(`[${i}] fma(${hex(A[i]!, s.width)}, ${hex(B[i]!, s.width)}, ${hex(C[i]!, s.width)}): got ${hex(out[i]!, s.width)}/${fl[i]}, scalar ${hex(r.code, s.width)}/${r.flags}`);
    }
  }
  mm.assertNone(`${what} (against the scalar fma)`);
  expect(all, `${what}: the returned OR of the flags`).to.equal(or);
}

describe('fmaArray (rne, two-stage kernel) against the oracle and the scalar fma', function () {
  const s = catalog.fp16;
  const f = toOFormat(s);
  const octx: OCtx = { mode: 'rne', tininess: 'after' };

  for (const role of ['a', 'b', 'c'] as const) {
    it(`every fp16 code as ${role}, with seeded partners (${FULL ? 4 : 1} per code), equals the oracle, flags included`, function () {
      const per = FULL ? 4 : 1;
      const n = 65536 * per;
      const next = lcg(role === 'a' ? 1 : role === 'b' ? 2 : 3);
      const ops = [new Uint16Array(n), new Uint16Array(n), new Uint16Array(n)];
      const k = role === 'a' ? 0 : role === 'b' ? 1 : 2;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 3; j++) ops[j]![i] = j === k ? i % 65536 : next() >>> 16;
      }
      const out = new Uint16Array(n);
      const fl = new Uint8Array(n);
      fmaArray(s, ops[0]!, ops[1]!, ops[2]!, out, context(), fl);
      const mm = new Mismatches();
      for (let i = 0; i < n; i++) {
        const want = oFma(f, BigInt(ops[0]![i]!), BigInt(ops[1]![i]!), BigInt(ops[2]![i]!), octx);
        mm.checked++;
        if (BigInt(out[i]!) !== want.code || fl[i] !== want.flags) {
          mm.add(`fma(${hex(ops[0]![i]!, 16)}, ${hex(ops[1]![i]!, 16)}, ${hex(ops[2]![i]!, 16)}): got ${hex(out[i]!, 16)}/${fl[i]}, oracle ${hex(want.code, 16)}/${want.flags}`);
        }
      }
      mm.assertNone(`fp16 fmaArray, every code as ${role}`);
    });
  }

  /** Each case alone in a group of 4 (the kernels' unrolled lanes), at lane i mod 4, among exact fillers. */
  function isolate(cases: [number, number, number][], filler: [number, number, number]): [number[], number[], number[]] {
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    cases.forEach((cs, i) => {
      for (let lane = 0; lane < 4; lane++) {
        const [x, y, z] = lane === i % 4 ? cs : filler;
        a.push(x);
        b.push(y);
        c.push(z);
      }
    });
    return [a, b, c];
  }

  it('sums that binary64 cannot hold (a TwoSum error, the round-to-odd path): tiny products and large addends, both signs, in each lane', function () {
    // fp16: |x·y| < 2^-36 with many bits, |z| ≥ 2^5: the binary64 sum is inexact, v = z ± ε.
    const next = lcg(11);
    const cases: [number, number, number][] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = next();
      cases.push([
        ((r & 1) << 15) | (((r >>> 1) % 10) << 10) | ((r >>> 5) & 0x3ff), // subnormal or < 2^-5
        (((r >>> 15) & 1) << 15) | (((r >>> 16) % 10) << 10) | (next() & 0x3ff),
        (((r >>> 20) & 1) << 15) | ((20 + ((r >>> 21) % 10)) << 10) | (next() & (i % 3 === 0 ? 0 : 0x3ff)),
      ]);
    }
    const [a, b, c] = isolate(cases, [0x3c00, 0x3c00, 0x0000]);
    checkFmaArray(s, a, b, c, 'rne', 'after', 'fp16 tiny products');
    const mm = new Mismatches();
    const out = new Uint16Array(a.length);
    const fl = new Uint8Array(a.length);
    fmaArray(s, new Uint16Array(a), new Uint16Array(b), new Uint16Array(c), out, context(), fl);
    for (let i = 0; i < a.length; i += 5) {
      const want = oFma(f, BigInt(a[i]!), BigInt(b[i]!), BigInt(c[i]!), octx);
      mm.checked++;
      if (BigInt(out[i]!) !== want.code || fl[i] !== want.flags) mm.add(`fma(${hex(a[i]!, 16)}, ${hex(b[i]!, 16)}, ${hex(c[i]!, 16)}): got ${hex(out[i]!, 16)}/${fl[i]}, oracle ${hex(want.code, 16)}/${want.flags}`);
    }
    mm.assertNone('fp16 tiny products against the oracle');
  });

  it('every product of two fp16 significands in [1, 2) (2^20 products, ~1,000 exact ties) plus 0 or ±2^-24 equals the scalar fma', function () {
    const n = 1 << 20;
    const a = new Uint16Array(n);
    const b = new Uint16Array(n);
    const c = new Uint16Array(n);
    let ties = 0;
    for (let i = 0; i < n; i++) {
      a[i] = 0x3c00 | (i >>> 10);
      b[i] = (i & 1 ? 0xbc00 : 0x3c00) | (i & 0x3ff);
      c[i] = [0x0000, 0x0001, 0x8001][i % 3]!;
      const prod = (1024 + (i >>> 10)) * (1024 + (i & 0x3ff)); // 21 or 22 bits
      const drop = prod >= 2 ** 21 ? 11 : 10;
      if (prod % 2 ** drop === 2 ** (drop - 1)) ties++;
    }
    expect(ties).to.be.greaterThan(500);
    const out = new Uint16Array(n);
    const fl = new Uint8Array(n);
    fmaArray(s, a, b, c, out, context(), fl);
    const mm = new Mismatches();
    for (let i = 0; i < n; i++) {
      const r = fma(s, a[i]!, b[i]!, c[i]!);
      mm.checked++;
      if (out[i] !== r.code || fl[i] !== r.flags) mm.add(`fma(${hex(a[i]!, 16)}, ${hex(b[i]!, 16)}, ${hex(c[i]!, 16)}): got ${hex(out[i]!, 16)}/${fl[i]}, scalar ${hex(r.code, 16)}/${r.flags}`);
    }
    mm.assertNone('fp16 products of significands');
  });

  it('bf16: a product exactly halfway between two bf16 values is decided by a tiny addend (jammed sum), in each lane', function () {
    const t = catalog.bf16;
    const x = encode(t, 1.5).code as number; // 1.5 · (1 + 2^-7) = 1.5 + 2^-7 + 2^-8: a tie at 8 bits
    const y = encode(t, 1 + 2 ** -7).code as number;
    const tiny = encode(t, 2 ** -100).code as number;
    const ties: [number, number, number, number][] = [
      [x, y, 0, 1.5 + 2 ** -6], // exact tie: to even (…+2^-6 has an even significand)
      [x, y, tiny, 1.5 + 2 ** -6], // above the tie: up
      [x, y, tiny | 0x8000, 1.5 + 2 ** -7], // below the tie: down
      [x | 0x8000, y, tiny, -(1.5 + 2 ** -7)], // negative, toward zero
      [x | 0x8000, y, tiny | 0x8000, -(1.5 + 2 ** -6)],
    ];
    // Every case in every lane, alone in its group of 4, over several chunks.
    const cases: [number, number, number][] = [];
    for (let k = 0; k < 40; k++) for (const tie of ties) cases.push([tie[0], tie[1], tie[2]]);
    const [a, b, c] = isolate(cases, [0x3f80, 0x3f80, 0]);
    const out = new Uint16Array(a.length);
    const fl = new Uint8Array(a.length);
    fmaArray(t, new Uint16Array(a), new Uint16Array(b), new Uint16Array(c), out, context(), fl);
    const ot = toOFormat(t);
    cases.forEach((_, i) => {
      const at = 4 * i + (i % 4);
      expect(decode(t, out[at]!), `case ${i % ties.length} in lane ${i % 4}`).to.equal(ties[i % ties.length]![3]);
      const want = oFma(ot, BigInt(a[at]!), BigInt(b[at]!), BigInt(c[at]!), octx);
      expect([out[at], fl[at]]).to.deep.equal([Number(want.code), want.flags]);
    });
    // And at random: products of bf16 values with addends 2^-40 to 2^-130 times smaller.
    const next = lcg(12);
    const rnd: [number, number, number][] = [];
    for (let i = 0; i < 15_000; i++) {
      const ea = 100 + (next() % 50);
      const eb = 100 + (next() % 50);
      rnd.push([
        ((next() & 1) << 15) | (ea << 7) | (next() & 0x7f),
        ((next() & 1) << 15) | (eb << 7) | (next() & 0x7f),
        ((next() & 1) << 15) | (Math.max(1, ea + eb - 127 - 40 - (next() % 90)) << 7) | (next() & 0x7f),
      ]);
    }
    const [A, B, C] = isolate(rnd, [0x3f80, 0x3f80, 0]);
    checkFmaArray(t, A, B, C, 'rne', 'after', 'bf16 products with tiny addends');
    checkFmaArray(t, A, B, C, 'rne', 'before', 'bf16 products with tiny addends, tininess before');
  });

  it('every catalog format of ≤ 16 bits and random formats: random codes, both tininess rules (seed 17)', function () {
    const formats = [catalog.fp16, catalog.bf16, catalog.e4m3fn, catalog.e5m2, catalog.e4m3fnuz, catalog.e5m2fnuz, catalog.e2m1fn, catalog.e3m2fn, catalog.e2m3fn, catalog.e8m0fnu];
    formats.push(
      floatFormat({ expBits: 5, manBits: 10, subnormals: false, name: 'fp16 without subnormals' }),
      floatFormat({ expBits: 5, manBits: 10, overflow: 'saturate', name: 'fp16 saturating' }),
      floatFormat({ expBits: 5, manBits: 6, signed: false, specials: 'fn', subnormals: false, name: 'unsigned e5m6' }),
      floatFormat({ expBits: 6, manBits: 0, specials: 'finite', name: 'e6m0' }),
    );
    for (const t of formats) {
      const next = lcg(17);
      const n = 20_000;
      const mask = 2 ** t.width - 1;
      const a = Array.from({ length: n }, () => next() & mask);
      const b = Array.from({ length: n }, () => next() & mask);
      const c = Array.from({ length: n }, () => next() & mask);
      for (const tin of ['after', 'before'] as const) checkFmaArray(t, a, b, c, 'rne', tin, `${t.name} (${tin})`);
    }
    fc.assert(
      fc.property(floatFormatArb({ maxExpBits: 7, maxManBits: 10 }), fc.nat(), (t, seed) => {
        if (t.width > 16) return;
        const next = lcg(seed);
        const mask = 2 ** t.width - 1;
        const n = 300;
        const a = Array.from({ length: n }, () => next() & mask);
        const b = Array.from({ length: n }, () => next() & mask);
        const c = Array.from({ length: n }, () => next() & mask);
        checkFmaArray(t, a, b, c, 'rne', 'after', `${t.name}`);
      }),
      { seed: 17, numRuns: FULL ? 2000 : 150 },
    );
  });

  it('handles every length 0..40 and specials at chunk edges (8, 520, 1032), with and without flagsOut', function () {
    const specials = [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0x7bff, 0xfbff, 0x0400];
    const next = lcg(31);
    for (let n = 0; n <= 40; n++) {
      const a = Array.from({ length: n }, (_, i) => (i % 5 === 3 ? specials[i % specials.length]! : next() >>> 16));
      const b = Array.from({ length: n }, () => next() >>> 16);
      const c = Array.from({ length: n }, () => next() >>> 16);
      checkFmaArray(s, a, b, c, 'rne', 'after', `length ${n}`);
      checkFmaArray(s, a, b, c, 'rne', 'after', `length ${n} without flagsOut`, false);
    }
    const n = 1100;
    const a = Array.from({ length: n }, () => next() >>> 16);
    const b = Array.from({ length: n }, () => 0x3c00);
    const c = Array.from({ length: n }, () => 0);
    for (const at of [0, 7, 8, 11, 519, 520, 1031, 1032, 1099]) a[at] = specials[at % specials.length]!;
    checkFmaArray(s, a, b, c, 'rne', 'after', 'specials at chunk edges');
    checkFmaArray(s, a, b, c, 'rne', 'before', 'specials at chunk edges, tininess before', false);
  });
});

describe('encodeArray (sr and rne kernels) against the oracle and the scalar encode', function () {
  /** Checks encodeArray(s, xs) against `encode` element by element and, every `oStride`th, the oracle. */
  function checkEncode(s: FloatSpec, xs: Float64Array, ctxOpts: Parameters<typeof context>[0], indexBase: number, what: string, oStride = 1): void {
    const ctx = context(ctxOpts);
    const dst = arrayFor(s, xs.length);
    const fl = new Uint8Array(xs.length);
    const all = encodeArray(s, xs, dst, ctx, fl, indexBase);
    const f = toOFormat(s);
    const mm = new Mismatches();
    let or = 0;
    for (let i = 0; i < xs.length; i++) {
      const r = encode(s, xs[i]!, ctx, indexBase + i);
      or |= r.flags;
      mm.checked++;
      if (dst[i] !== r.code || fl[i] !== r.flags) mm.add(`[${i}] ${xs[i]}: got ${hex(dst[i]!, s.width)}/${fl[i]}, scalar ${hex(r.code, s.width)}/${r.flags}`);
      if (i % oStride === 0) {
        const octx: OCtx = { mode: ctx.rounding, tininess: ctx.tininess };
        if (ctx.rounding === 'sr') {
          octx.srBits = ctx.srBits;
          octx.srU = srUniform(ctx.seed, ctx.stream, indexBase + i, ctx.srBits);
        }
        const want = oFromNumber(f, xs[i]!, octx);
        if (BigInt(dst[i]!) !== want.code || fl[i] !== want.flags) mm.add(`[${i}] ${xs[i]}: got ${hex(dst[i]!, s.width)}/${fl[i]}, oracle ${hex(want.code, s.width)}/${want.flags}`);
      }
    }
    mm.assertNone(what);
    expect(all, `${what}: the returned OR of the flags`).to.equal(or);
    // Without per-element flags (the kernels that only OR them): the same codes and the same OR.
    const dst2 = arrayFor(s, xs.length);
    const all2 = encodeArray(s, xs, dst2, ctx, undefined, indexBase);
    expect(Array.from(dst2), `${what}: codes without flagsOut`).to.deep.equal(Array.from(dst));
    expect(all2, `${what}: the returned OR without flagsOut`).to.equal(or);
  }

  it('e4m3fn, sr with 8 bits: every code and 17 points toward its neighbour, each at 4 indices, equal the oracle', function () {
    const s = catalog.e4m3fn;
    const xs: number[] = [];
    for (let code = 0; code < 256; code++) {
      const v = decode(s, code);
      if (!Number.isFinite(v)) continue;
      const up = decode(s, code === 0x7e ? 0x7e : code === 0xfe ? 0xfe : code + 1);
      const w = Number.isFinite(up) && up !== v ? up : v * 1.0625 + (v === 0 ? 2 ** -9 : 0);
      for (const t of [0, 2 ** -40, 1 / 512, 1 / 256, 3 / 256, 0.125, 0.25, 1 / 3, 0.5 - 2 ** -30, 0.5, 0.5 + 2 ** -30, 0.75, 0.9, 1 - 1 / 256, 1 - 2 ** -40, 1, 1.0625]) {
        const x = v + t * (w - v);
        for (let k = 0; k < 4; k++) xs.push(x); // the same x at 4 consecutive indices: 4 draws of U
      }
    }
    for (const [seed, stream, base] of [[1, 0, 0], [7, 3, 123456789], [0xffffffff, 0xffffffff, TWO32 - 1001]] as const) {
      checkEncode(s, new Float64Array(xs), { rounding: 'sr', srBits: 8, seed, stream }, base, `e4m3fn sr seed ${seed} base ${base}`);
    }
    checkEncode(s, new Float64Array(xs), { rounding: 'rne' }, 0, 'e4m3fn rne');
  });

  for (const s of [catalog.e5m2, catalog.fp16, catalog.bf16, catalog.e2m1fn, catalog.e4m3fnuz, catalog.e8m0fnu]) {
    it(`${s.name}: random doubles in and around the range, sr (r = 1, 5, 8, 19 - m, 20 - m) and rne, equal the scalar encode (and every 7th the oracle)`, function () {
      const next = lcg(s.width * 1000 + s.manBits);
      const n = FULL ? 40_000 : 6000;
      const lo = Math.log2(s.minPositive) - 3;
      const hi = Math.log2(s.maxFinite) + 1;
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const e = lo + ((next() >>> 8) / 2 ** 24) * (hi - lo);
        const m = 1 + (next() >>> 1) / 2 ** 31;
        xs[i] = (next() & 1 ? -1 : 1) * m * 2 ** Math.floor(e);
        if (i % 97 === 0) xs[i] = [0, -0, Infinity, -Infinity, NaN, s.maxFinite, -s.minPositive][i % 7]!;
      }
      const drop = 20 - s.manBits;
      for (const r of [1, 5, 8, drop - 1, drop].filter((r) => r >= 1 && r <= 32)) {
        checkEncode(s, xs, { rounding: 'sr', srBits: r, seed: r, stream: 2 }, 1000, `${s.name} sr r=${r}`, 7);
      }
      checkEncode(s, xs, { rounding: 'rne' }, 0, `${s.name} rne`, 7);
    });
  }

  it('sends a lone special element to the scalar path from every lane: zero, tiny, overflow, NaN, ∞, negative in an unsigned format', function () {
    // Each special value alone among normal values, at every position of a 16-element stretch inside
    // the second chunk, so that no other element flags the chunk.
    const cases: [FloatSpec, number[]][] = [
      [catalog.fp16, [0, -0, 2 ** -20, -(2 ** -15), 65520, -1e6, NaN, Infinity, -Infinity]],
      [catalog.e4m3fn, [0, 2 ** -8, 464, -500, NaN]],
      [catalog.bf16, [-0, 2 ** -130, 3.5e38, NaN]],
      [catalog.e8m0fnu, [-1, -0.5, 0, NaN, 2 ** 200]],
    ];
    for (const [s, specials] of cases) {
      // An exact normal value, and an inexact one (whose inexact flag the OR must keep when a special
      // sends the chunk to the scalar path).
      for (const normal of s.signed ? [1.375, 1.3] : [2, 3]) {
        for (const x of specials) {
          for (let at = 520; at < 536; at++) {
            // Only the special's chunk (elements 520..1031) holds the normal value under test.
            const xs = new Float64Array(1040).fill(s.signed ? 1.375 : 2).fill(normal, 520, 1032);
            xs[at] = x;
            for (const opts of [{ rounding: 'rne' }, { rounding: 'sr', srBits: 6, seed: at }] as const) {
              const ctx = context(opts);
              const dst = arrayFor(s, xs.length);
              const fl = new Uint8Array(xs.length);
              const all = encodeArray(s, xs, dst, ctx, fl);
              const want = encode(s, x, ctx, at);
              expect([dst[at], fl[at]], `${s.name} ${opts.rounding} ${x} at ${at}`).to.deep.equal([Number(want.code), want.flags]);
              expect(all, `${s.name} ${opts.rounding} ${x} at ${at}: OR of flags`).to.equal(want.flags | encode(s, normal, ctx, 0).flags);
              const dst2 = arrayFor(s, xs.length);
              expect(encodeArray(s, xs, dst2, ctx), `${s.name} ${opts.rounding} ${x} at ${at}: OR without flagsOut`).to.equal(all);
              expect(Array.from(dst2), `${s.name} ${opts.rounding} ${x} at ${at}: codes without flagsOut`).to.deep.equal(Array.from(dst));
            }
          }
        }
      }
    }
    // fmaArray: a special result alone among exact ones, in every lane.
    const f16 = catalog.fp16;
    for (const [x, y, z] of [[0x0000, 0x3c00, 0x8000], [0x0001, 0x0001, 0x0000], [0x7bff, 0x4000, 0x0000], [0x7e00, 0x3c00, 0x3c00], [0x7c00, 0x0000, 0x3c00], [0x0400, 0x3800, 0x0000]]) {
      for (let at = 520; at < 536; at++) {
        const a = new Uint16Array(1040).fill(0x3c00);
        const b = new Uint16Array(1040).fill(0x3e00);
        const c = new Uint16Array(1040).fill(0x3c00);
        a[at] = x!;
        b[at] = y!;
        c[at] = z!;
        const out = new Uint16Array(1040);
        const fl = new Uint8Array(1040);
        const all = fmaArray(f16, a, b, c, out, context(), fl);
        const want = fma(f16, x!, y!, z!);
        expect([out[at], fl[at]], `fma(${hex(x!, 16)}, ${hex(y!, 16)}, ${hex(z!, 16)}) at ${at}`).to.deep.equal([want.code, want.flags]);
        expect(all).to.equal(want.flags);
      }
    }
  });

  it('the same bits for an index however the array is cut: across 2^32, in pieces, from a subarray view', function () {
    const s = catalog.fp16;
    const next = lcg(5);
    const n = 3000;
    const xs = new Float64Array(n + 3);
    for (let i = 0; i < xs.length; i++) xs[i] = ((next() >>> 0) / 2 ** 32 - 0.5) * 100;
    const ctx = context({ rounding: 'sr', srBits: 8, seed: 99, stream: 4 });
    const base = TWO32 - 1234;
    const whole = new Uint16Array(n);
    encodeArray(s, xs.subarray(3), whole, ctx, undefined, base); // a view at byte offset 24
    for (let i = 0; i < n; i++) expect(whole[i], `element ${i}`).to.equal(encode(s, xs[3 + i]!, ctx, base + i).code);
    const pieces = new Uint16Array(n);
    for (let i0 = 0; i0 < n; i0 += 333) {
      const part = new Uint16Array(Math.min(333, n - i0));
      encodeArray(s, xs.slice(3 + i0, 3 + i0 + part.length), part, ctx, undefined, base + i0);
      pieces.set(part, i0);
    }
    expect(Array.from(pieces)).to.deep.equal(Array.from(whole));
    checkEncode(s, xs, { rounding: 'sr', srBits: 8, seed: 99, stream: 4 }, TWO32 - 700, 'fp16 sr across 2^32', 13);
  });
});
