/**
 * Views share memory and index correctly: random chains of slice / permute / transpose / reshape /
 * broadcastTo are checked against a naive model that maps each index of the view to a position of
 * the base data with plain loops (no strides), element by element. Seeds are fixed (in titles).
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import {
  Tensor,
  broadcastTo,
  contiguous,
  copy,
  isContiguous,
  permute,
  reshape,
  slice,
  tensor,
  transpose,
  type SliceSpec,
} from '../../src/tensor/index.js';

/** The naive model of a view: its shape, and the base position of each index. */
interface Model {
  shape: number[];
  map: (idx: number[]) => number;
}

import { allIndices, prod } from '../support/indices.js';
const pick = (u: number, n: number): number => Math.min(n - 1, Math.floor(u * n));

/** One random view operation, driven by the random numbers `r`, applied to the view and the model alike. */
function step(t: Tensor, m: Model, kind: number, r: number[]): [Tensor, Model] {
  let ri = 0;
  const u = (): number => r[ri++ % r.length]!;
  const nd = m.shape.length;
  switch (kind) {
    case 0: {
      // slice: per axis null, an index, or a range (explicit or default bounds)
      const count = pick(u(), nd + 1);
      const specs: SliceSpec[] = [];
      const lists: (number[] | number | null)[] = [];
      for (let ax = 0; ax < count; ax++) {
        const d = m.shape[ax]!;
        const c = pick(u(), 3);
        if (c === 0 || (c === 1 && d === 0)) {
          specs.push(null);
          lists.push(null);
        } else if (c === 1) {
          const i = pick(u(), d);
          const neg = u() < 0.3;
          specs.push(neg ? i - d : i);
          lists.push(i);
        } else {
          const stepv = [-3, -2, -1, 1, 2, 3][pick(u(), 6)]!;
          const sel: number[] = [];
          const spec: { start?: number; stop?: number; step: number } = { step: stepv };
          if (stepv > 0) {
            const start = u() < 0.3 ? undefined : pick(u(), d + 1);
            const stop = u() < 0.3 ? undefined : pick(u(), d + 1);
            // (the negative form names the same position only below d: -0 is 0)
            if (start !== undefined) spec.start = u() < 0.3 && start < d ? start - d : start;
            if (stop !== undefined) spec.stop = u() < 0.3 && stop < d ? stop - d : stop;
            for (let i = start ?? 0; i < (stop ?? d); i += stepv) sel.push(i);
          } else {
            const start = u() < 0.3 || d === 0 ? undefined : pick(u(), d);
            const stop = u() < 0.4 || d === 0 ? undefined : pick(u(), d);
            if (start !== undefined) spec.start = u() < 0.3 ? start - d : start;
            if (stop !== undefined) spec.stop = u() < 0.3 ? stop - d : stop;
            for (let i = start ?? d - 1; i > (stop ?? -1); i += stepv) sel.push(i);
          }
          specs.push(spec);
          lists.push(sel);
        }
      }
      const shape: number[] = [];
      for (let ax = 0; ax < nd; ax++) {
        const l = ax < lists.length ? lists[ax]! : null;
        if (l === null) shape.push(m.shape[ax]!);
        else if (Array.isArray(l)) shape.push(l.length);
      }
      const map = (idx: number[]): number => {
        const full: number[] = [];
        let k = 0;
        for (let ax = 0; ax < nd; ax++) {
          const l = ax < lists.length ? lists[ax]! : null;
          if (l === null) full.push(idx[k++]!);
          else if (typeof l === 'number') full.push(l);
          else full.push(l[idx[k++]!]!);
        }
        return m.map(full);
      };
      return [slice(t, specs), { shape, map }];
    }
    case 1: {
      // permute by a random permutation (random keys)
      const keys = m.shape.map((_, i) => [u(), i] as const).sort((a, b) => a[0] - b[0]);
      const axes = keys.map((k) => k[1]);
      const shape = axes.map((a) => m.shape[a]!);
      const map = (idx: number[]): number => {
        const full = new Array<number>(nd);
        axes.forEach((a, k) => (full[a] = idx[k]!));
        return m.map(full);
      };
      const useNeg = u() < 0.3;
      return [permute(t, useNeg ? axes.map((a) => a - nd) : axes), { shape, map }];
    }
    case 2: {
      const shape = m.shape.slice().reverse();
      return [transpose(t), { shape, map: (idx) => m.map(idx.slice().reverse()) }];
    }
    case 3: {
      // reshape: succeeds exactly when the model's positions are consecutive in row-major order
      const pos = allIndices(m.shape).map(m.map);
      const consecutive = pos.every((p, k) => p === pos[0]! + k);
      const size = pos.length;
      const dims: number[] = [];
      let rest = size;
      for (let f = 2; rest > 1 && f <= rest; ) {
        if (rest % f === 0 && u() < 0.6) {
          dims.push(f);
          rest /= f;
        } else if (rest % f === 0) {
          const last = dims.length ? dims.pop()! : 1;
          dims.push(last * f);
          rest /= f;
        } else f++;
      }
      if (rest !== 1 || size === 0) dims.push(rest); // size 0 (rest 0) or leftover
      if (u() < 0.3) dims.push(1);
      const target = size === 0 ? [0] : dims.length ? dims : [];
      const useInfer = target.length > 0 && size > 0 && u() < 0.3;
      const arg = useInfer ? target.map((d, i) => (i === 0 ? -1 : d)) : target;
      if (!consecutive) {
        expect(() => reshape(t, arg)).to.throw(RangeError, /is not contiguous/);
        expect(isContiguous(t)).to.equal(false);
        return [t, m];
      }
      expect(isContiguous(t)).to.equal(true);
      const v = reshape(t, arg);
      expect(v.shape).to.deep.equal(target);
      const strides = (s: readonly number[]): number[] => s.map((_, i) => prod(s.slice(i + 1)));
      const st = strides(target);
      return [v, { shape: target, map: (idx) => pos[idx.reduce((a, x, i) => a + x * st[i]!, 0)]! }];
    }
    default: {
      // broadcastTo: stretch some size-1 axes, prepend up to two axes
      const lead = pick(u(), 3);
      const shape = [...Array.from({ length: lead }, () => 1 + pick(u(), 3)), ...m.shape.map((d) => (d === 1 && u() < 0.5 ? 1 + pick(u(), 3) : d))];
      if (prod(shape) > 2000) return [t, m];
      const map = (idx: number[]): number => m.map(idx.slice(lead).map((x, i) => (m.shape[i] === 1 ? 0 : x)));
      return [broadcastTo(t, shape), { shape, map }];
    }
  }
}

const shapeArb = fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constant(0) }), {
  minLength: 0,
  maxLength: 4,
});
/** Uniform numbers in [0, 1) (no bias toward 0, so every branch of `step` is reached). */
const unitArb = fc.noBias(fc.integer({ min: 0, max: 2 ** 30 - 1 })).map((k) => k / 2 ** 30);
const opsArb = fc.array(fc.tuple(fc.nat(4), fc.array(unitArb, { minLength: 40, maxLength: 40 })), {
  minLength: 1,
  maxLength: 6,
});

describe('tensor views', function () {
  it('index every element as the naive model does, and share the base data (seed 7)', function () {
    fc.assert(
      fc.property(shapeArb, fc.nat(5), opsArb, (shape, pad, ops) => {
        const n = prod(shape);
        // The base is itself a view into a larger array (offset `pad`), codes = positions.
        const data = new Uint16Array(n + pad + 3).map((_, i) => i);
        const base = new Tensor(catalog.fp16, data, shape, undefined, pad);
        let t: Tensor = base;
        let m: Model = { shape: shape.slice(), map: (idx) => pad + idx.reduce((a, x, i) => a + x * prod(shape.slice(i + 1)), 0) };
        for (const [kind, r] of ops) {
          [t, m] = step(t, m, kind, r);
          expect(t.shape).to.deep.equal(m.shape);
          expect(t.data).to.equal(data); // a view, never a copy
          expect(t.size).to.equal(prod(m.shape));
        }
        for (const idx of allIndices(m.shape)) {
          expect(t.position(idx), `index ${idx}`).to.equal(m.map(idx));
          expect(t.get(idx)).to.equal(m.map(idx));
        }
        // Writing through the view writes the base data at the model's position.
        const all = allIndices(m.shape);
        if (all.length > 0) {
          const idx = all[Math.floor(all.length / 2)]!;
          t.set(idx, 0xabcd);
          expect(data[m.map(idx)]).to.equal(0xabcd);
          data[m.map(idx)] = m.map(idx);
        }
        // copy and contiguous give the same elements in row-major order.
        const c = copy(t);
        expect(c.data).to.not.equal(data);
        expect(Array.from(c.data)).to.deep.equal(all.map(m.map));
        const k = contiguous(t);
        expect(isContiguous(k)).to.equal(true);
        expect(allIndices(m.shape).map((i) => k.get(i))).to.deep.equal(all.map(m.map));
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('accept negative indices in get and set, counting from the end', function () {
    const t = tensor(catalog.e4m3fn, [2, 3], [0, 1, 2, 3, 4, 5]);
    expect(t.get([-1, -1])).to.equal(5);
    expect(t.get([-2, 1])).to.equal(1);
    t.set([-1, 0], 0x38);
    expect(t.data[3]).to.equal(0x38);
  });

  it('slice an integer index away and keep a range axis of length 0', function () {
    const t = tensor(catalog.e4m3fn, [3, 4], Array.from({ length: 12 }, (_, i) => i));
    const row = slice(t, [1]);
    expect([row.shape, row.strides, row.offset]).to.deep.equal([[4], [1], 4]);
    const empty = slice(t, [{ start: 2, stop: 1 }]);
    expect(empty.shape).to.deep.equal([0, 4]);
    expect(empty.size).to.equal(0);
    const rev = slice(t, [{ step: -1 }, { start: -1, step: -3 }]);
    expect([rev.shape, rev.strides, rev.offset]).to.deep.equal([[3, 2], [-4, -3], 11]);
    expect([rev.get([0, 0]), rev.get([0, 1]), rev.get([2, 1])]).to.deep.equal([11, 8, 0]);
  });

  it('handle 0-d tensors (one element, no axes)', function () {
    const s = tensor(catalog.fp16, [], [0x3c00]);
    expect([s.size, s.ndim, s.get([])]).to.deep.equal([1, 0, 0x3c00]);
    expect(transpose(s).shape).to.deep.equal([]);
    expect(reshape(s, [1, 1]).shape).to.deep.equal([1, 1]);
    expect(broadcastTo(s, [2, 2]).strides).to.deep.equal([0, 0]);
    const t = tensor(catalog.fp16, [3], [1, 2, 3]);
    const picked = slice(t, [2]);
    expect([picked.shape, picked.get([])]).to.deep.equal([[], 3]);
  });
});
