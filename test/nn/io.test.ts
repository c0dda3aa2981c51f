/**
 * Weights files (round trip of every code and format, and a clear error for each kind of damage),
 * IDX parsing, and the deterministic exp/log of the loss.
 */
import { expect } from 'chai';
import { buildModel, recipeByName, detExp, detLog } from '../../src/nn/index.js';
import { loadWeights, serializeWeights, weightsHash } from '../../src/nn/weights-io.js';
import { parseIdx, idxDataset } from '../../src/data/idx.js';

function model(recipe: string, seed = 3) {
  const m = buildModel('lenet');
  m.init(seed, recipeByName(recipe));
  return m;
}

describe('weights files', () => {
  for (const r of ['fp32', 'gupta2015-sr', 'hfp8', 'micikevicius2017']) {
    it(`${r}: every code, format and master copy comes back`, () => {
      const a = model(r);
      const text = serializeWeights(a, { model: 'lenet', recipe: r, seed: 3, epochs: 0 });
      const b = model(r, 4);
      expect(weightsHash(b)).to.not.equal(weightsHash(a));
      const meta = loadWeights(b, text, 'w.json');
      expect(meta.hash).to.equal(weightsHash(a));
      expect(weightsHash(b)).to.equal(weightsHash(a));
      a.params.forEach((p, i) => {
        const q = b.params[i]!;
        expect(q.value.spec.name).to.equal(p.value.spec.name);
        expect(Array.from(q.value.data)).to.deep.equal(Array.from(p.value.data));
        expect(q.master?.spec.name).to.equal(p.master?.spec.name);
        if (p.master) expect(Array.from(q.master!.data)).to.deep.equal(Array.from(p.master.data));
      });
    });
  }

  it('damage is named, and the model is left untouched', () => {
    const a = model('gupta2015-sr');
    const good = serializeWeights(a, { model: 'lenet', recipe: 'gupta2015-sr', seed: 3, epochs: 0 });
    const j = JSON.parse(good);
    const b = model('gupta2015-sr', 9);
    const h = weightsHash(b);
    const bad = (mut: (x: any) => void): string => {
      const c = JSON.parse(good);
      mut(c);
      return JSON.stringify(c);
    };
    const cases: [string, RegExp][] = [
      ['{"format": "bitexact-weights", "ver', /invalid JSON/],
      ['{"hello": 1}', /not a bitexact weights file/],
      [bad((c) => (c.version = 2)), /version 2 is not supported/],
      [bad((c) => (c.model = 'mlp')), /holds weights of model "mlp", not lenet/],
      [bad((c) => c.params.pop()), /expected 10 parameters, found 9/],
      [bad((c) => (c.params[0].shape = [6, 1, 5, 4])), /shape \[6,1,5,4\] differs/],
      [bad((c) => (c.params[2].codes = c.params[2].codes.slice(2))), /codes have \d+ hex digits; shape .* needs/],
      [bad((c) => (c.params[1].codes = 'zz' + c.params[1].codes.slice(2))), /codes must be a hex string/],
      [bad((c) => (c.params[0].format = 'e9m99')), /format|exp|man/],
      [bad((c) => (c.params[0].codes = (c.params[0].codes[0] === '0' ? '1' : '0') + c.params[0].codes.slice(1))), /does not match the stored .*corrupt/],
    ];
    expect(j.params.length).to.equal(10);
    for (const [text, re] of cases) {
      expect(() => loadWeights(b, text, 'w.json')).to.throw(RangeError, re);
      expect(weightsHash(b)).to.equal(h);
    }
  });
});

describe('IDX files', () => {
  const header = (type: number, dims: number[]) => {
    const b = [0, 0, type, dims.length];
    for (const d of dims) b.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
    return b;
  };
  it('parses images and labels; pixels scaled by 1/255', () => {
    const img = Uint8Array.from([...header(8, [2, 2, 2]), 0, 255, 51, 102, 1, 2, 3, 4]);
    const lab = Uint8Array.from([...header(8, [2]), 7, 3]);
    const d = idxDataset(img, lab, 't');
    expect([d.n, d.rows, d.cols]).to.deep.equal([2, 2, 2]);
    expect(Array.from(d.images.subarray(0, 4))).to.deep.equal([0, 1, 0.2, 0.4]);
    expect(Array.from(d.labels)).to.deep.equal([7, 3]);
  });
  it('names what is wrong', () => {
    expect(() => parseIdx(Uint8Array.of(0x1f, 0x8b, 8, 0), 'x')).to.throw(RangeError, /gzip/);
    expect(() => parseIdx(Uint8Array.from(header(0x0d, [1])), 'x')).to.throw(RangeError, /element type 0xd is not supported/);
    expect(() => parseIdx(Uint8Array.from([...header(8, [3]), 1, 2]), 'x')).to.throw(RangeError, /need 3 data bytes, the file has 2/);
    const img = Uint8Array.from([...header(8, [1, 1, 1]), 0]);
    expect(() => idxDataset(img, Uint8Array.from([...header(8, [2]), 1, 2]), 't')).to.throw(RangeError, /1 images but 2 labels/);
    expect(() => idxDataset(img, Uint8Array.from([...header(8, [1]), 12]), 't')).to.throw(RangeError, /label 12 at 0 is not below 10/);
  });
});

describe('deterministic exp and log', () => {
  it('within 2 ulp of the platform functions over the loss range, exact at the anchors', () => {
    const ulp = (x: number) => Math.max(Number.MIN_VALUE, Math.abs(x) * 2 ** -52);
    for (let i = 0; i <= 20000; i++) {
      const x = -700 + (i * 700) / 20000;
      expect(Math.abs(detExp(x) - Math.exp(x)) / ulp(Math.exp(x)), `exp(${x})`).to.be.at.most(2);
      const y = 1 + i * 0.37;
      expect(Math.abs(detLog(y) - Math.log(y)) / ulp(Math.log(y) || 1), `log(${y})`).to.be.at.most(2);
    }
    expect(detExp(0)).to.equal(1);
    expect(detLog(1)).to.equal(0);
    expect(detExp(-800)).to.equal(0);
    expect(detLog(0)).to.equal(-Infinity);
    expect(detLog(2 ** -1074)).to.be.closeTo(-744.44007192138, 1e-9);
  });
});
