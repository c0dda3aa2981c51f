/**
 * The MAC spec grammar: specs parse to the units they describe (a spec equal to a preset computes the
 * same bits), and bad fields are named.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { parseMacSpec } from '../../src/accum/parse-mac.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import { presetByName } from '../../src/accum/presets/index.js';

describe('the MAC spec grammar', function () {
  it('parses each field', function () {
    const s = parseMacSpec('a=e4m3fn,b=e5m2,prod=fp16:rtz,acc=fp32:rup,sum=tree3,out=bf16:rna,separate,sr-bits=5,seed=3');
    expect([s.a.name, s.b.name, s.product.kind, s.acc.kind, s.summation.kind, s.fused, s.output?.format.name]).to.deep.equal([
      'e4m3fn', 'e5m2', 'round', 'float', 'tree', false, 'bf16',
    ]);
    expect(parseMacSpec('ab=i8,acc=i32:sat').acc).to.include({ kind: 'int', overflow: 'saturate' });
    expect(parseMacSpec('ab=s16.12,acc=exact,out=s16.12:RND_CONV:SAT').acc.kind).to.equal('exact');
    const c = parseMacSpec('ab=e5m2,acc=ibm_fp16_169,sum=chunk64:e8m10:rtz').summation;
    expect(c.kind === 'chunked' && c.chunk === 64 && c.inner.kind === 'float' && c.inner.format.name).to.equal('e8m10');
  });
  for (const [spec, preset] of [
    ['ab=e5m2,acc=ibm_fp16_169,sum=chunk64', 'wang2018-fp8-chunk64'],
    ['ab=e5m2,acc=ibm_fp16_169', 'wang2018-fp8-sequential'],
    ['ab=i8,acc=i32:sat', 'int8-int32-sat'],
    ['ab=bf16,acc=fp32', 'bf16-fp32'],
  ] as const) {
    it(`"${spec}" computes the same bits as the preset ${preset}`, function () {
      const u = macUnit(parseMacSpec(spec));
      const p = presetByName(preset);
      const w = (p.a as { width: number }).width;
      const cw = (p.c as { width: number }).width;
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(2 ** w - 1), fc.nat(2 ** w - 1)), { minLength: 1, maxLength: 80 }), fc.nat(2 ** Math.min(cw, 30) - 1), (pairs, c) => {
          const a = pairs.map((x) => x[0]);
          const b = pairs.map((x) => x[1]);
          const r1 = u.dot(a, b, c);
          const r2 = p.dot(a, b, c);
          expect([r1.code, r1.flags, r1.stats]).to.deep.equal([r2.code, r2.flags, r2.stats]);
        }),
        { seed: 12, numRuns: 200 },
      );
    });
  }
  it('names the bad field', function () {
    expect(() => parseMacSpec('acc=fp32')).to.throw(RangeError, /operand formats are missing; give ab=F or a=F,b=F/);
    expect(() => parseMacSpec('ab=fp16')).to.throw(RangeError, /give acc=F \(the accumulator\) or out=F/);
    expect(() => parseMacSpec('ab=fp16,acc=fp32,sum=zigzag')).to.throw(RangeError, /sum: must be seq, tree<N> or chunk<N>/);
    expect(() => parseMacSpec('ab=fp16,acc=fp32:nearest')).to.throw(RangeError, /acc: unknown rounding mode "nearest"/);
    expect(() => parseMacSpec('ab=i8,acc=i32')).to.throw(RangeError, /an integer accumulator needs :wrap or :sat/);
    expect(() => parseMacSpec('ab=fp16,acc=fp32,color=red')).to.throw(RangeError, /unknown field "color=red"/);
  });
});
