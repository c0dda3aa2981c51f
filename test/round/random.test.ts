/**
 * The stochastic-rounding random bits (generator version 2, `docs/rounding.md` "The random bits"):
 * the documented definition (test values, and an independent implementation in the oracle), and the
 * statistics rounding relies on — uniform r-bit values, no correlation between neighbouring indices,
 * seeds, streams or 2^32-index blocks. Every check uses fixed seeds; each bound is ≥ 5.5 standard
 * deviations, so a failure means a broken generator, not bad luck.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { srBits, srKey1, srKey2, srUniform } from '../../src/round/random.js';
import { oSrBits, oSrKey } from '../oracle/sr-hash.js';

const TWO32 = 4294967296;

describe('srBits: the documented definition (generator version 2)', function () {
  it('gives the test values of docs/rounding.md', function () {
    const table: [number, number, number, number][] = [
      [0, 0, 0, 0x018385a3],
      [0, 0, 1, 0xa7727ce9],
      [1, 0, 0, 0xc815426b],
      [0, 1, 0, 0x2e00bccc],
      [12345, 3, 1000000, 0xbf5232e2],
      [42, 7, TWO32 + 5, 0xa3b8b355],
      [0xffffffff, 0xffffffff, 2 ** 53 - 1, 0x521ac2dc],
    ];
    for (const [seed, stream, index, bits] of table) expect(srBits(seed, stream, index), `srBits(${seed}, ${stream}, ${index})`).to.equal(bits);
    expect(srKey1(0, 0, 0)).to.equal(0x5e06c074);
    expect(srKey2(0x5e06c074)).to.equal(0x86516893);
    expect(srKey1(42, 7, 1)).to.equal(0x5d5433c9);
  });

  it('equals the oracle written from the documentation, on 20,000 triples up to index 2^53 (fast-check seed 2)', function () {
    const u32 = fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff), fc.nat({ max: 0xffffffff }));
    const index = fc.oneof(fc.nat({ max: 1000 }), fc.constantFrom(TWO32 - 1, TWO32, TWO32 + 1, 2 ** 53 - 1), fc.maxSafeNat());
    fc.assert(
      fc.property(u32, u32, index, (seed, stream, i) => {
        const want = Number(oSrBits(BigInt(seed), BigInt(stream), BigInt(i)));
        expect(srBits(seed, stream, i), `srBits(${seed}, ${stream}, ${i})`).to.equal(want);
        const k = oSrKey(BigInt(seed), BigInt(stream), BigInt(Math.floor(i / TWO32)));
        expect([srKey1(seed, stream, Math.floor(i / TWO32)), srKey2(Number(k.k1))]).to.deep.equal([Number(k.k1), Number(k.k2)]);
      }),
      { seed: 2, numRuns: 20_000 },
    );
  });

  it('does not depend on the order of calls (the key cache): interleaved keys give the bits of fresh calls', function () {
    const triples: [number, number, number][] = [];
    for (let k = 0; k < 3000; k++) triples.push([k % 3, (k * 7) % 5, ((k * 2654435761) % 9) * TWO32 + k]);
    const forward = triples.map(([s, t, i]) => srBits(s, t, i));
    const backward = [...triples].reverse().map(([s, t, i]) => srBits(s, t, i)).reverse();
    expect(backward).to.deep.equal(forward);
    for (let k = 0; k < triples.length; k += 97) {
      const [s, t, i] = triples[k]!;
      expect(forward[k]).to.equal(Number(oSrBits(BigInt(s), BigInt(t), BigInt(i))));
    }
  });

  it('srUniform is the top r bits, for every r in 1..32', function () {
    for (let r = 1; r <= 32; r++) {
      for (let i = 0; i < 50; i++) {
        const b = srBits(9, 4, i * 1000003);
        expect(srUniform(9, 4, i * 1000003, r)).to.equal(Math.floor(b / 2 ** (32 - r)));
      }
    }
  });
});

/** max |z| of the 32×32 bit-pair correlations and the chi-square of the 16×16 top-nibble pairs. */
function pairStats(n: number, pair: (i: number) => [number, number]): { maxZ: number; chi2: number } {
  const both = new Float64Array(32 * 32);
  const ones = [new Float64Array(32), new Float64Array(32)];
  const cells = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const [x, y] = pair(i);
    for (let j = 0; j < 32; j++) {
      ones[0]![j]! += (x >>> j) & 1;
      ones[1]![j]! += (y >>> j) & 1;
      if ((x >>> j) & 1) for (let k = 0; k < 32; k++) both[j * 32 + k]! += (y >>> k) & 1;
    }
    cells[((x >>> 28) << 4) | (y >>> 28)]!++;
  }
  let maxZ = 0;
  for (let j = 0; j < 32; j++) {
    for (let k = 0; k < 32; k++) {
      const px = ones[0]![j]! / n;
      const py = ones[1]![k]! / n;
      const z = (both[j * 32 + k]! / n - px * py) / Math.sqrt((px * (1 - px) * py * (1 - py)) / n);
      maxZ = Math.max(maxZ, Math.abs(z));
    }
  }
  let chi2 = 0;
  for (const o of cells) chi2 += (o - n / 256) ** 2 / (n / 256);
  return { maxZ, chi2 };
}

describe('srBits: statistics (fixed seeds)', function () {
  // Chi-square with 255 degrees of freedom: mean 255, sd 22.6; the bound is 6 sd above the mean.
  const CHI2_255 = 255 + 6 * Math.sqrt(2 * 255);

  it('draws uniform 8-bit values: 256 buckets of 256,000 draws pass a chi-square test', function () {
    const counts = new Float64Array(256);
    for (let i = 0; i < 256_000; i++) counts[srUniform(77, 0, i, 8)]!++;
    let chi2 = 0;
    for (const o of counts) chi2 += (o - 1000) ** 2 / 1000;
    expect(chi2).to.be.lessThan(CHI2_255);
  });

  it('sets each of the 32 bits with probability 1/2 (within 5.5 sd over 100,000 draws)', function () {
    const n = 100_000;
    const ones = new Float64Array(32);
    for (let i = 0; i < n; i++) {
      const b = srBits(3, 1, i);
      for (let j = 0; j < 32; j++) ones[j]! += (b >>> j) & 1;
    }
    for (let j = 0; j < 32; j++) expect(Math.abs(ones[j]! - n / 2), `bit ${j}`).to.be.lessThan(5.5 * Math.sqrt(n / 4));
  });

  const relations: [string, (i: number) => [number, number]][] = [
    ['adjacent indices (2i, 2i + 1)', (i) => [srBits(5, 0, 2 * i), srBits(5, 0, 2 * i + 1)]],
    ['indices i and i + 1 (overlapping pairs)', (i) => [srBits(6, 2, i), srBits(6, 2, i + 1)]],
    ['adjacent seeds at one index', (i) => [srBits(i, 0, 77), srBits(i + 1, 0, 77)]],
    ['seeds 0 and 1 at index i', (i) => [srBits(0, 0, i), srBits(1, 0, i)]],
    ['adjacent streams at one index', (i) => [srBits(3, i, 9), srBits(3, i + 1, 9)]],
    ['streams 0 and 1 at index i', (i) => [srBits(3, 0, i), srBits(3, 1, i)]],
    ['index i and i + 2^32 (the next key block)', (i) => [srBits(8, 0, i), srBits(8, 0, i + TWO32)]],
  ];
  for (const [name, pair] of relations) {
    it(`${name}: no correlated bit pair (max |z| < 5.5 over 32×32 pairs) and uniform top-nibble pairs (chi-square), 40,000 pairs`, function () {
      const { maxZ, chi2 } = pairStats(40_000, pair);
      expect(maxZ, 'max |z| of the bit-pair correlations').to.be.lessThan(5.5);
      expect(chi2, 'chi-square of the 16×16 top-nibble pairs').to.be.lessThan(CHI2_255);
    });
  }
});
