/** `parseFormat`: every accepted spelling resolves to the right kind and spec; nothing else does. */
import { expect } from 'chai';
import { catalog, CATALOG } from '../../src/formats/catalog.js';
import { parseFormat, type ParsedFormat } from '../../src/formats/parse.js';

function floatOf(p: ParsedFormat): unknown {
  return p.kind === 'float' ? p.spec : p;
}

describe('parseFormat', function () {
  it('reads every catalog name and alias as that catalog format', function () {
    for (const e of CATALOG) {
      for (const n of [e.spec.name, ...e.aliases, e.spec.name.toUpperCase()]) expect(floatOf(parseFormat(n)), n).to.equal(e.spec);
    }
  });

  it("reads TestFloat's and ml_dtypes' names", function () {
    expect(floatOf(parseFormat('f16'))).to.equal(catalog.fp16);
    expect(floatOf(parseFormat('bf16'))).to.equal(catalog.bf16);
    expect(floatOf(parseFormat('f32'))).to.equal(catalog.fp32);
    expect(floatOf(parseFormat('f64'))).to.equal(catalog.fp64);
    expect(floatOf(parseFormat('bfloat16'))).to.equal(catalog.bf16);
    expect(floatOf(parseFormat('float8_e4m3b11fnuz'))).to.equal(catalog.e4m3b11fnuz);
    expect(floatOf(parseFormat('float8_e8m0fnu'))).to.equal(catalog.e8m0fnu);
    expect(floatOf(parseFormat('float6_e2m3fn'))).to.equal(catalog.e2m3fn);
    expect(floatOf(parseFormat('float4_e2m1fn'))).to.equal(catalog.e2m1fn);
  });

  it('reads integers: i32, ui32, i<N>, ui<N>, u<N>, int<N>, uint<N> up to 64 bits', function () {
    expect(parseFormat('i32')).to.deep.equal({ kind: 'int', width: 32, signed: true, name: 'i32' });
    expect(parseFormat('ui32')).to.deep.equal({ kind: 'int', width: 32, signed: false, name: 'ui32' });
    expect(parseFormat('i64')).to.include({ width: 64, signed: true });
    expect(parseFormat('u8')).to.include({ kind: 'int', width: 8, signed: false });
    expect(parseFormat('int4')).to.include({ kind: 'int', width: 4, signed: true });
    expect(parseFormat('uint2')).to.include({ kind: 'int', width: 2, signed: false });
    expect(() => parseFormat('i65')).to.throw(RangeError, /integer width must be 1..64, got 65/);
    expect(() => parseFormat('i0')).to.throw(RangeError, /1..64/);
  });

  it('reads ac_std_float and the general float form', function () {
    const a = parseFormat('ac_std_float<16,5>');
    expect(a.kind === 'float' && [a.spec.expBits, a.spec.manBits, a.spec.bias]).to.deep.equal([5, 10, 15]);
    const g = parseFormat('e4m3[bias=11,specials=fnuz]');
    expect(g.kind === 'float' && g.spec.maxFinite).to.equal(30);
    const n = parseFormat('e6m9[nosub,overflow=saturate]');
    expect(n.kind === 'float' && [n.spec.subnormals, n.spec.overflow]).to.deep.equal([false, 'saturate']);
    expect(() => parseFormat('e4m3[bias=x]')).to.throw(RangeError, /bias needs an integer/);
  });

  it('reads ap_fixed, ap_ufixed, ac_fixed and the general fixed form', function () {
    const ap = parseFormat('ap_fixed<8,3,AP_RND,AP_SAT>');
    expect(ap.kind === 'fixed' && [ap.spec.width, ap.spec.frac, ap.spec.quant, ap.spec.overflow]).to.deep.equal([8, 5, 'RND', 'SAT']);
    const apn = parseFormat('ap_fixed<8,4,AP_RND,AP_WRAP,2>');
    expect(apn.kind === 'fixed' && apn.spec.satBits).to.equal(2);
    const apu = parseFormat('ap_ufixed<10,-2>');
    expect(apu.kind === 'fixed' && [apu.spec.signed, apu.spec.frac]).to.deep.equal([false, 12]);
    const ac = parseFormat('ac_fixed<8,4,false,AC_RND,AC_SAT_SYM>');
    expect(ac.kind === 'fixed' && [ac.spec.signed, ac.spec.quant, ac.spec.overflow]).to.deep.equal([false, 'RND', 'SAT_SYM']);
    const gen = parseFormat('s16.8:RND_CONV:SAT');
    expect(gen.kind === 'fixed' && gen.spec.name).to.equal('s16.8:RND_CONV:SAT');
    expect(parseFormat('u8.4').kind).to.equal('fixed');
    expect(() => parseFormat('ap_fixed<8,3,AP_NOPE>')).to.throw(RangeError, /quant: ap_fixed accepts AP_TRN/);
  });

  it('names the text and lists the accepted spellings when nothing matches', function () {
    expect(() => parseFormat('fp17')).to.throw(RangeError, /format "fp17": unknown; accepted: catalog names \(fp64, .*ap_fixed<W,I,Q,O,N>.*i<N>/);
    expect(() => parseFormat('')).to.throw(RangeError, /unknown; accepted/);
  });
});
