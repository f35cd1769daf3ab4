/**
 * A seeded permutation of 0 … size−1 (a Feistel network over the next power of four, walked until it
 * lands inside): whether target x is chosen is `permute(x) < count`, decided alone for any x, and
 * the chosen targets are listed by inverting count values. No list of targets is ever held.
 */
import { mix32 } from '../random.js';

const ROUNDS = 4;

export class Permutation {
  private readonly halfBits: number;
  private readonly halfSize: number;
  private readonly mask: number;
  private readonly keys: number[];

  constructor(
    readonly size: number,
    seed: number,
    salt: number,
  ) {
    let bits = 2;
    while (2 ** bits < size) bits += 2;
    this.halfBits = bits / 2;
    this.halfSize = 2 ** this.halfBits;
    this.mask = this.halfSize - 1;
    this.keys = Array.from({ length: ROUNDS }, (_, round) => mix32((seed >>> 0) ^ mix32(Math.floor(seed / 2 ** 32) ^ mix32(salt + round * 0x9e3779b9))));
  }

  private round(half: number, round: number): number {
    // Halves stay below 2^27 (sizes below 2^54): integer operations on them are exact.
    return mix32(half ^ this.keys[round]!) & this.mask;
  }

  private forward(x: number): number {
    let left = Math.floor(x / this.halfSize);
    let right = x - left * this.halfSize;
    for (let round = 0; round < ROUNDS; round++) {
      const next = (left + this.round(right, round)) & this.mask;
      left = right;
      right = next;
    }
    return left * this.halfSize + right;
  }

  private backward(y: number): number {
    let left = Math.floor(y / this.halfSize);
    let right = y - left * this.halfSize;
    for (let round = ROUNDS - 1; round >= 0; round--) {
      const previous = (right - this.round(left, round) + this.halfSize) & this.mask;
      right = left;
      left = previous;
    }
    return left * this.halfSize + right;
  }

  /** Where x goes (0 ≤ x < size). */
  permute(x: number): number {
    let y = this.forward(x);
    while (y >= this.size) y = this.forward(y);
    return y;
  }

  /** Which x goes to y. */
  invert(y: number): number {
    let x = this.backward(y);
    while (x >= this.size) x = this.backward(x);
    return x;
  }
}
