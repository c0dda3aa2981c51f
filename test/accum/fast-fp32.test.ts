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
