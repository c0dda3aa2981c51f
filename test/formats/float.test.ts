/**
 * Float format specs: every derived constant of the catalog's cards, and clear errors for bad specs
 * (naming the field and the allowed range), raised when the spec is built.
 */
import { expect } from 'chai';
import { floatFormat } from '../../src/formats/float.js';
import { catalog } from '../../src/formats/catalog.js';
import { context } from '../../src/round/modes.js';

describe('float format cards derive every constant', function () {
  const cards: [string, number, number, number][] = [
    // name, max, min normal, min subnormal
    ['fp32', 3.4028234663852886e38, 2 ** -126, 2 ** -149],
    ['fp16', 65504, 2 ** -14, 2 ** -24],
    ['bf16', 3.3895313892515355e38, 2 ** -126, 2 ** -133],
    ['e4m3fn', 448, 2 ** -6, 2 ** -9],
    ['e5m2', 57344, 2 ** -14, 2 ** -16],
    ['e4m3fnuz', 240, 2 ** -7, 2 ** -10],
    ['e5m2fnuz', 57344, 2 ** -15, 2 ** -17],
    ['e4m3b11fnuz', 30, 2 ** -10, 2 ** -13],
    ['e4m3', 240, 2 ** -6, 2 ** -9],
    ['e3m4', 15.5, 2 ** -2, 2 ** -6],
    ['e3m2fn', 28, 2 ** -2, 2 ** -4],
    ['e2m3fn', 7.5, 1, 2 ** -3],
    ['e2m1fn', 6, 1, 0.5],
    ['e8m0fnu', 2 ** 127, 2 ** -127, 2 ** -127],
    ['ibm_fp16_169', (2 - 2 ** -9) * 2 ** 31, 2 ** -30, 2 ** -39],
  ];
  for (const [name, max, minN, minS] of cards) {
    it(`${name}: max ${max}, min normal ${minN}, smallest positive ${minS}`, function () {
      const s = catalog[name as keyof typeof catalog];
      expect([s.maxFinite, s.minNormal, s.minPositive]).to.deep.equal([max, minN, minS]);
    });
  }
});

describe('bad float specs fail when built, naming the field and the allowed range', function () {
  const cases: [string, () => unknown, RegExp][] = [
    ['0 exponent bits without subnormals', () => floatFormat({ expBits: 0, manBits: 3, subnormals: false, specials: 'finite' }), /expBits: 0 exponent bits need subnormals: true/],
    ['0 exponent bits with ieee specials', () => floatFormat({ expBits: 0, manBits: 3 }), /expBits: 0 exponent bits need .*specials: 'finite'/],
    ['too many exponent bits', () => floatFormat({ expBits: 12, manBits: 3 }), /expBits: must be an integer in 0\.\.11, got 12/],
    ['too many fraction bits', () => floatFormat({ expBits: 5, manBits: 53 }), /manBits: must be an integer in 0\.\.52, got 53/],
    ['a fractional width', () => floatFormat({ expBits: 4.5, manBits: 3 }), /expBits: must be an integer/],
    ['ieee without fraction bits', () => floatFormat({ expBits: 8, manBits: 0 }), /manBits: specials 'ieee' need manBits >= 1/],
    ['an unknown special encoding', () => floatFormat({ expBits: 4, manBits: 3, specials: 'nanoo' as never }), /specials: must be one of ieee, fn, fnuz, finite/],
    ['an overflow to infinity without infinities', () => floatFormat({ expBits: 4, manBits: 3, specials: 'fn', overflow: 'inf' }), /overflow: 'inf' needs specials 'ieee'/],
    ['an overflow to NaN without NaN', () => floatFormat({ expBits: 2, manBits: 1, specials: 'finite', overflow: 'nan' }), /overflow: 'nan' needs a NaN encoding/],
    ['a bias outside binary64', () => floatFormat({ expBits: 11, manBits: 10, bias: -500 }), /bias: -500 puts this format outside binary64's range/],
    ['an unknown rounding mode', () => context({ rounding: 'nearest' as never }), /rounding: unknown mode "nearest"; allowed: rne, rna, rno, rtz, rup, rdn, rod, sr/],
    ['too many random bits', () => context({ rounding: 'sr', srBits: 33 }), /srBits: must be an integer in 1\.\.32, got 33/],
    ['an unsigned ieee format', () => floatFormat({ expBits: 5, manBits: 2, signed: false }), /signed: unsigned formats are supported as e8m0fnu is/],
  ];
  for (const [what, f, re] of cases) {
    it(`rejects ${what}`, function () {
      expect(f).to.throw(RangeError, re);
    });
  }
});
