/**
 * Deterministic elementary functions for the loss (softmax cross-entropy). `Math.exp` and `Math.log`
 * are not specified to the last bit by ECMAScript and differ between engines, so the loss and its
 * gradient use these instead: each is a fixed sequence of IEEE binary64 additions, multiplications and
 * divisions (all correctly rounded, hence the same bits on every machine and engine). Accuracy is a few
 * ulps, which is all a loss needs; what matters is that the bits never change.
 */

const LN2_HI = 6.93147180369123816490e-1; // the high 32 bits of ln 2 (as in fdlibm), exact multiples of k
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);

/** 2^k for an integer k in [-1074, 1023], built from its bit pattern (no Math.pow). */
function pow2(k: number): number {
  if (k < -1022) return pow2(k + 600) * pow2(-600);
  const f = F;
  const u = U;
  u[0] = 0;
  u[1] = (k + 1023) << 20;
  return f[0]!;
}

/** 1/12!, 1/11!, …, 1/1!, 1/0!: the Horner coefficients of the Taylor polynomial after 1/13!. */
const EXP_COEFFS = [1 / 479001600, 1 / 39916800, 1 / 3628800, 1 / 362880, 1 / 40320, 1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];

/**
 * e^x, deterministic. Range reduction x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, two-part ln 2),
 * then a degree-13 Taylor polynomial in Horner form (error below 2^-60 for |r| ≤ 0.35), then ·2^k.
 *
 * @example
 * ```ts
 * detExp(0); // => 1
 * detExp(-1000); // => 0
 * ```
 */
export function detExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.78) return Infinity;
  if (x < -745.2) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  let p = 1 / 6227020800; // 1/13!
  for (const c of EXP_COEFFS) p = p * r + c;
  return k > 1023 ? p * pow2(1023) * pow2(k - 1023) : p * pow2(k);
}

/**
 * ln x for x > 0, deterministic: x = m·2^e with m in [√½, √2), then ln m = 2·atanh(z), z = (m-1)/(m+1)
 * (|z| ≤ 0.172), summed as an odd series to z^31 (error below 2^-58), plus e·ln 2.
 *
 * @example
 * ```ts
 * detLog(1); // => 0
 * ```
 */
export function detLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let e = 0;
  let m = x;
  const f = F;
  const u = U;
  if (m < 2 ** -1000) {
    m *= 2 ** 600;
    e -= 600;
  }
  f[0] = m;
  const be = (u[1]! >>> 20) - 1023;
  u[1] = (u[1]! & 0x800fffff) | (1023 << 20);
  m = f[0]!;
  e += be;
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let s = 0;
  for (let k = 31; k >= 1; k -= 2) s = s * z2 + 1 / k;
  return 2 * z * s + e * LN2_HI + e * LN2_LO;
}
