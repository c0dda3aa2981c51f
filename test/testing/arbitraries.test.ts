/**
 * The exported arbitraries reach the corners: every catalog format's sample contains ±0, ±max, the
 * smallest subnormal, NaN and ±∞ wherever those exist; near-tie values really are ties for some cases.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { CATALOG } from '../../src/formats/catalog.js';
import { codeArb, nearTieArb, floatFormatArb, valueArb } from '../../src/testing/index.js';
import { decode, encode } from '../../src/ops/float/index.js';
import { context } from '../../src/round/modes.js';

describe('fast-check arbitraries reach the corners of every format (seed 1)', function () {
  for (const { spec: s } of CATALOG) {
    it(`codeArb(${s.name}) produces ±0, ±max, min subnormal, NaN and ±∞ where they exist`, function () {
      const values = fc.sample(codeArb(s), { seed: 1, numRuns: 3000 }).map((c) => decode(s, c));
      const has = (pred: (v: number) => boolean) => values.some(pred);
      if (s.hasZero) expect(has((v) => Object.is(v, 0)), '+0').to.equal(true);
      if (s.hasNegZero) expect(has((v) => Object.is(v, -0)), '-0').to.equal(true);
      expect(has((v) => v === s.maxFinite), '+max').to.equal(true);
      if (s.signed) expect(has((v) => v === -s.maxFinite), '-max').to.equal(true);
      expect(has((v) => v === s.minPositive), 'smallest positive').to.equal(true);
      if (s.hasNaN) expect(has((v) => Number.isNaN(v)), 'NaN').to.equal(true);
      if (s.hasInf) {
        expect(has((v) => v === Infinity), '+inf').to.equal(true);
        expect(has((v) => v === -Infinity), '-inf').to.equal(true);
      }
    });
  }
  it('nearTieArb gives exact ties: ties-to-even and ties-to-odd disagree on some of them', function () {
    for (const { spec: s } of CATALOG.filter((e) => e.spec.width <= 16)) {
      const xs = fc.sample(nearTieArb(s), { seed: 1, numRuns: 500 });
      const differ = xs.filter((x) => encode(s, x, context({ rounding: 'rne' })).code !== encode(s, x, context({ rounding: 'rno' })).code);
      expect(differ.length, `ties found for ${s.name}`).to.be.greaterThan(0);
    }
  });
  it('floatFormatArb builds valid formats of every special encoding', function () {
    const specs = fc.sample(floatFormatArb({ maxExpBits: 8, maxManBits: 10 }), { seed: 1, numRuns: 400 });
    const kinds = new Set(specs.map((s) => s.specials));
    expect([...kinds].sort()).to.deep.equal(['finite', 'fn', 'fnuz', 'ieee']);
    expect(specs.some((s) => !s.subnormals)).to.equal(true);
    for (const s of specs.slice(0, 50)) expect(fc.sample(valueArb(s), { seed: 2, numRuns: 20 })).to.have.length(20);
  });
});
