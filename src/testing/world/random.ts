/**
 * Deterministic randomness for the world. Every guild draws from its own generator keyed by
 * (seed, guild index), so any guild can be regenerated alone, in any order, with the same result.
 */

/** FNV-1a over a string, folded to 32 bits: turns a string seed into a number. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mix several 32-bit integers into one well-spread 32-bit hash (murmur3 finalizer per step). */
export function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Small fast PRNG (mulberry32). Not cryptographic; only reproducibility matters here. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A 32-bit unsigned integer. */
  u32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

/**
 * Samples ranks 0..n-1 from a Zipf-like law with exponent s by inverting the continuous CDF of
 * x^-s on [1, n+1). Rank 0 is the most popular. O(1) per draw, no tables, so n may be millions.
 */
export class ZipfSampler {
  private readonly oneMinusS: number;
  private readonly top: number;

  constructor(
    private readonly n: number,
    private readonly s: number
  ) {
    this.oneMinusS = 1 - s;
    this.top = Math.abs(this.oneMinusS) < 1e-9 ? Math.log(n + 1) : (n + 1) ** this.oneMinusS - 1;
  }

  sample(u: number): number {
    let x: number;
    if (Math.abs(this.oneMinusS) < 1e-9) x = Math.exp(u * this.top);
    else x = (this.top * u + 1) ** (1 / this.oneMinusS);
    const rank = Math.floor(x) - 1;
    return rank < 0 ? 0 : rank >= this.n ? this.n - 1 : rank;
  }

  get exponent(): number {
    return this.s;
  }
}
