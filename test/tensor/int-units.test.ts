/**
 * Units with integer formats (the int8 → int32 presets, the x86 VNNI presets) in the tensor kernels:
 * their operands are fixed-point tensors with no fraction bits (the same codes), their results come
 * back in such a tensor, and every element equals the unit's own dot product on the gathered codes
 * (results, flags and statistics), on the fast path and on the general engine.
 */
import { expect } from 'chai';
import { fixedFormat } from '../../src/formats/fixed.js';
import { presetByName } from '../../src/accum/presets/index.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import type { MacSpec } from '../../src/accum/mac-spec.js';
import type { DotUnit } from '../../src/accum/types.js';
import { addStats, emptyStats } from '../../src/accum/types.js';
import { conv2d, matmul, tensor, type Tensor } from '../../src/tensor/index.js';

const s8 = fixedFormat({ width: 8, frac: 0 });
const u8 = fixedFormat({ width: 8, frac: 0, signed: false });
const s16 = fixedFormat({ width: 16, frac: 0 });
const s32 = fixedFormat({ width: 32, frac: 0 });

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

/** A tensor of random raw integers of a fixed format (extremes included, to reach overflow). */
function randInts(f: typeof s8, shape: number[], seed: number): Tensor {
  const next = lcg(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const lo = f.signed ? -(2 ** (f.width - 1)) : 0;
  const span = 2 ** f.width;
  return tensor(f, shape, Array.from({ length: n }, (_, i) => (i % 5 === 0 ? (i % 2 ? lo : lo + span - 1) : lo + (next() % span))));
}

/** The bit pattern of a raw fixed value. */
const pat = (v: number, w: number) => (v < 0 ? v + 2 ** w : v);

/** matmul through `unit`, element by element with unit.dot on the gathered patterns. */
function reference(unit: DotUnit, A: Tensor, B: Tensor, c: Tensor | undefined) {
  const [M, K] = A.shape as [number, number];
  const N = B.shape[1]!;
  const codes: number[] = [];
  const stats = emptyStats();
  let flags = 0;
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      const a = Array.from({ length: K }, (_, k) => pat(A.data[m * K + k]!, A.spec.width));
      const b = Array.from({ length: K }, (_, k) => pat(B.data[k * N + n]!, B.spec.width));
      const r = unit.dot(a, b, c ? pat(c.data[n]!, c.spec.width) : 0, m * N + n);
      const v = Number(r.code);
      codes.push(v >= 2 ** 31 ? v - 2 ** 32 : v);
      flags |= r.flags;
      addStats(stats, r.stats);
    }
  return { codes, flags, stats };
}

const SATURATING = new Set(['int8-int32-sat', 'x86-vpdpbusds', 'x86-vpdpwssds']);

describe('tensor kernels with integer-format units', function () {
  const cases: [string, typeof s8, typeof s8, number][] = [
    ['int8-int32-wrap', s8, s8, 37],
    ['int8-int32-sat', s8, s8, 37],
    ['x86-vpdpbusd', u8, s8, 4],
    ['x86-vpdpbusds', u8, s8, 4],
    ['x86-vpdpwssds', s16, s16, 2],
  ];
  for (const [name, fa, fb, K] of cases) {
    it(`${name}: matmul equals the unit's dot per element (codes, flags, statistics), with a bias`, function () {
      const preset = presetByName(name);
      const spec = (preset as { spec?: MacSpec }).spec;
      const units: DotUnit[] = [preset, ...(spec ? [macUnit(spec, { generalOnly: true, k: preset.k })] : [])];
      for (const unit of units) {
        const A = randInts(fa, [5, K], K);
        const B = randInts(fb, [K, 6], K + 1);
        // A bias near the top of int32, so that saturating units saturate.
        const c = tensor(s32, [6], [2 ** 31 - 1, -(2 ** 31), 2 ** 31 - 40000, 5, -7, 0]);
        const got = matmul(unit, A, B, { c });
        const want = reference(unit, A, B, c);
        expect(got.tensor.spec.kind).to.equal('fixed');
        expect((got.tensor.spec as typeof s8).frac).to.equal(0);
        expect(Array.from(got.tensor.data), name).to.deep.equal(want.codes);
        expect(got.flags, name).to.equal(want.flags);
        expect(got.stats, name).to.deep.equal(want.stats);
        if (SATURATING.has(name)) expect(want.stats.saturations, `${name} saturates somewhere`).to.be.greaterThan(0);
      }
    });
  }
  it('conv2d through int8-int32-sat equals matmul over the unfolded input', function () {
    const unit = presetByName('int8-int32-sat');
    const X = randInts(s8, [1, 2, 4, 4], 9);
    const W = randInts(s8, [3, 2, 2, 2], 10);
    const got = conv2d(unit, X, W);
    // im2col by hand: rows = 9 output positions, K = 8 (c, ky, kx), then out[o, pos] = row · W[o].
    const rows: number[] = [];
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 3; x++)
        for (let ci = 0; ci < 2; ci++) for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) rows.push(X.data[ci * 16 + (y + ky) * 4 + x + kx]!);
    const Wt: number[] = [];
    for (let k = 0; k < 8; k++) for (let o = 0; o < 3; o++) Wt.push(W.data[o * 8 + k]!);
    const mm = matmul(unit, tensor(s8, [9, 8], rows), tensor(s8, [8, 3], Wt)).tensor.data;
    const want: number[] = [];
    for (let o = 0; o < 3; o++) for (let p = 0; p < 9; p++) want.push(mm[p * 3 + o]!);
    expect(Array.from(got.tensor.data)).to.deep.equal(want);
  });
  it('names a tensor whose format does not carry the unit’s integers', function () {
    const unit = presetByName('int8-int32-wrap');
    const A = randInts(fixedFormat({ width: 8, frac: 2 }), [2, 3], 1);
    const B = randInts(s8, [3, 2], 2);
    expect(() => matmul(unit, A, B)).to.throw(TypeError, /A: tensor format s8\.2.* differs from the unit's s8\.0/);
    expect(() => matmul(unit, randInts(u8, [2, 3], 1), B)).to.throw(TypeError, /A: tensor format u8\.0.* differs/);
  });
});
