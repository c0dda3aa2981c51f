/**
 * The weights file: JSON that stores every parameter as its format name, shape and codes, so the
 * exact bits come back. Layout (version 1):
 * ```json
 * { "format": "bitexact-weights", "version": 1, "model": "lenet", "recipe": "hfp8", "seed": 1,
 *   "epochs": 2, "hash": "<FNV-1a 64 of the working weights>",
 *   "params": [ { "name": "0.conv2d.W", "format": "e4m3fnuz[bias=11,overflow=saturate]",
 *                 "shape": [6, 1, 5, 5], "codes": "<hex>", "master": { "format": ..., "codes": ... } } ] }
 * ```
 * `codes`: each code as a fixed number of hex digits (the format's width rounded up to whole bytes,
 * two's complement for signed fixed point), concatenated in row-major order. Format names are those
 * of the name grammar (`docs/formats.md`), so any reader can decode them. Parsing validates everything
 * (magic, version, model, names, shapes, code lengths, code ranges, hash) and names what is wrong.
 */
import { parseFormat } from '../formats/parse.js';
import { contiguous } from '../tensor/contiguous.js';
import { codeArray, checkSpec, type TensorSpec } from '../tensor/storage.js';
import { Tensor, checkCodes } from '../tensor/tensor.js';
import { hashTensors } from './hash.js';
import type { Model } from './model.js';

const MAGIC = 'bitexact-weights';

/** Metadata stored with the weights. */
export interface WeightsMeta {
  readonly model: string;
  readonly recipe: string;
  readonly seed: number;
  readonly epochs: number;
}

function digits(f: TensorSpec): number {
  return Math.ceil(f.width / 8) * 2;
}

function toHex(t: Tensor): string {
  const c = contiguous(t);
  const d = digits(c.spec);
  const mod = 2 ** (d * 4);
  let s = '';
  for (let i = 0; i < c.size; i++) {
    const v = c.data[c.offset + i]!;
    s += (v < 0 ? v + mod : v).toString(16).padStart(d, '0');
  }
  return s;
}

function fromHex(f: TensorSpec, shape: readonly number[], hex: unknown, where: string): Tensor {
  const n = shape.reduce((p, x) => p * x, 1);
  const d = digits(f);
  if (typeof hex !== 'string' || !/^[0-9a-f]*$/i.test(hex)) throw new RangeError(`${where}: codes must be a hex string`);
  if (hex.length !== n * d) throw new RangeError(`${where}: codes have ${hex.length} hex digits; shape [${shape}] of ${f.name} needs ${n * d}`);
  const data = codeArray(f, n);
  const half = 2 ** (f.width - 1);
  const mod = 2 ** f.width;
  for (let i = 0; i < n; i++) {
    let v = parseInt(hex.slice(i * d, (i + 1) * d), 16);
    if (f.kind === 'fixed' && f.signed) {
      if (v >= mod) v -= 2 ** (d * 4);
      else if (v >= half) v -= mod;
    }
    data[i] = v;
  }
  const t = new Tensor(f, data, shape);
  try {
    checkCodes(f, data);
  } catch (e) {
    throw new RangeError(`${where}: ${(e as Error).message}`);
  }
  return t;
}

function formatOf(name: unknown, where: string): TensorSpec {
  if (typeof name !== 'string') throw new RangeError(`${where}: format must be a format name`);
  const p = parseFormat(name);
  if (p.kind === 'int') throw new RangeError(`${where}: ${name} is an integer format; weights are float or fixed point`);
  return checkSpec(p.spec, where);
}

/** The hash of a model's working weights. */
export function weightsHash(model: Model): string {
  return hashTensors(model.params.map((p) => ({ name: p.name, tensor: p.value })));
}

/** The weights file text of a model. */
export function serializeWeights(model: Model, meta: WeightsMeta): string {
  const params = model.params.map((p) => ({
    name: p.name,
    format: p.value.spec.name,
    shape: p.value.shape,
    codes: toHex(p.value),
    ...(p.master ? { master: { format: p.master.spec.name, codes: toHex(p.master) } } : {}),
  }));
  for (const p of model.params) {
    for (const t of [p.value, p.master]) {
      if (t && formatOf(t.spec.name, p.name).name !== t.spec.name) throw new RangeError(`${p.name}: format name ${t.spec.name} does not parse back to itself`);
    }
  }
  return JSON.stringify({ format: MAGIC, version: 1, ...meta, hash: weightsHash(model), params }, null, 1) + '\n';
}

/**
 * Loads weights file text into a model built for the same architecture (it replaces the working
 * weights and master copies, keeping the layer precisions' formats as stored). Throws a `RangeError`
 * naming `source` and the problem; the model is only modified once everything has been validated.
 */
export function loadWeights(model: Model, text: string, source = 'weights'): WeightsMeta & { hash: string } {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new RangeError(`${source}: not a weights file (invalid JSON: ${(e as Error).message})`);
  }
  if (j === null || typeof j !== 'object' || j.format !== MAGIC) throw new RangeError(`${source}: not a bitexact weights file (no "format": "${MAGIC}")`);
  if (j.version !== 1) throw new RangeError(`${source}: version ${JSON.stringify(j.version)} is not supported (this bitexact reads version 1)`);
  if (j.model !== model.name) throw new RangeError(`${source}: holds weights of model ${JSON.stringify(j.model)}, not ${model.name}`);
  const ps = j.params;
  const mine = model.params;
  if (!Array.isArray(ps) || ps.length !== mine.length) throw new RangeError(`${source}: expected ${mine.length} parameters, found ${Array.isArray(ps) ? ps.length : 'none'}`);
  const loaded = ps.map((q: Record<string, unknown>, i) => {
    const p = mine[i]!;
    const where = `${source}: ${p.name}`;
    if (q?.name !== p.name) throw new RangeError(`${source}: parameter ${i} is ${JSON.stringify(q?.name)}, expected ${p.name}`);
    const shape = q.shape as number[];
    if (!Array.isArray(shape) || shape.join(',') !== p.value.shape.join(',')) throw new RangeError(`${where}: shape [${shape}] differs from the model's [${p.value.shape}]`);
    const value = fromHex(formatOf(q.format, where), shape, q.codes, where);
    const m = q.master as Record<string, unknown> | undefined;
    const master = m ? fromHex(formatOf(m.format, `${where} master`), shape, m.codes, `${where} master`) : undefined;
    return { value, master };
  });
  const hash = hashTensors(loaded.map((l, i) => ({ name: mine[i]!.name, tensor: l.value })));
  if (typeof j.hash === 'string' && j.hash !== hash) throw new RangeError(`${source}: the weights hash ${hash} does not match the stored ${j.hash}: the file is corrupt`);
  loaded.forEach((l, i) => {
    mine[i]!.value = l.value;
    mine[i]!.master = l.master;
    mine[i]!.momentum = undefined;
  });
  return { model: String(j.model), recipe: String(j.recipe), seed: Number(j.seed), epochs: Number(j.epochs), hash };
}
