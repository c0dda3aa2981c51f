/**
 * The fp32-accumulator fast path of the MAC engine gives exactly the general engine's results, flags
 * and statistics (it abandons any dot product it cannot do exactly): random operand formats, codes
 * including NaN, ∞, subnormals and large values (overflow), random c. Seed fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import { fp32Dot, fp32Plan } from '../../src/accum/fast-fp32.js';
import type { MacSpec } from '../../src/accum/mac-spec.js';
import { codeArb } from '../../src/testing/index.js';
import { LEVEL } from '../support/bridge.js';
import type { FloatSpec } from '../../src/formats/float.js';

const OPS: FloatSpec[] = [catalog.e4m3fn, catalog.e5m2, catalog.fp16, catalog.bf16, catalog.e2m1fn];

describe('the fp32 fast path of the MAC engine equals the general engine (seed 77)', function () {
  it('is taken for fp32-accumulator specs and not for others', function () {
    const base: MacSpec = { a: catalog.bf16, b: catalog.bf16, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } };
    expect(fp32Plan(base)).to.not.equal(null);
    expect(fp32Plan({ ...base, acc: { kind: 'float', format: catalog.fp16 } })).to.equal(null);
    expect(fp32Plan({ ...base, summation: { kind: 'tree', fanIn: 2 } })).to.equal(null);
  });
  it('gives identical codes, flags and statistics on random dot products', function () {
    const arb = fc
      .record({ af: fc.constantFrom(...OPS), bf: fc.constantFrom(...OPS), fused: fc.boolean(), k: fc.integer({ min: 0, max: 40 }) })
      .chain((r) =>
        fc.record({
          r: fc.constant(r),
          a: fc.array(codeArb(r.af), { minLength: r.k, maxLength: r.k }),
          b: fc.array(codeArb(r.bf), { minLength: r.k, maxLength: r.k }),
          c: codeArb(catalog.fp32),
        }),
      );
    let fastTaken = 0;
    fc.assert(
      fc.property(arb, ({ r, a, b, c }) => {
        const spec: MacSpec = { a: r.af, b: r.bf, product: { kind: 'exact' }, fused: r.fused, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } };
        const fast = macUnit(spec);
        const general = macUnit(spec, { generalOnly: true });
        const x = fast.dot(a, b, c);
        const y = general.dot(a, b, c);
        expect([x.code, x.flags, x.stats]).to.deep.equal([y.code, y.flags, y.stats]);
        // Count the dot products the fast path completed itself (not handed back to the general engine).
        const plan = fp32Plan(spec);
        if (plan && fp32Dot(plan, a, b, c)) fastTaken++;
      }),
      { seed: 77, numRuns: LEVEL === 'full' ? 20000 : 2000 },
    );
    expect(fastTaken, 'dot products completed on the fast path').to.be.greaterThan(300);
  });
});

import { tensor, matmul } from '../../src/tensor/index.js';

describe('matmul on the in-place fp32 fast path equals matmul on the general engine (seed 78)', function () {
  it('with any codes (NaN, ∞, huge, tiny) and transposed operands', function () {
    fc.assert(
      fc.property(
        fc.record({ f: fc.constantFrom(catalog.e4m3fn, catalog.bf16, catalog.fp16), M: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 12 }), N: fc.integer({ min: 1, max: 4 }), tB: fc.boolean() }).chain((r) =>
          fc.record({ r: fc.constant(r), a: fc.array(codeArb(r.f), { minLength: r.M * r.K, maxLength: r.M * r.K }), b: fc.array(codeArb(r.f), { minLength: r.K * r.N, maxLength: r.K * r.N }) }),
        ),
        ({ r, a, b }) => {
          const spec: MacSpec = { a: r.f, b: r.f, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } };
          const A = tensor(r.f, [r.M, r.K], a.map(Number));
          const B = tensor(r.f, r.tB ? [r.N, r.K] : [r.K, r.N], b.map(Number));
          const x = matmul(macUnit(spec), A, B, { transposeB: r.tB });
          const y = matmul(macUnit(spec, { generalOnly: true }), A, B, { transposeB: r.tB });
          expect([[...x.tensor.data], x.flags, x.stats]).to.deep.equal([[...y.tensor.data], y.flags, y.stats]);
        },
      ),
      { seed: 78, numRuns: LEVEL === 'full' ? 3000 : 300 },
    );
  });
});
