/** A small seeded PRNG (mulberry32) and per-image seeded permutations for the `random` baseline. */

/** mulberry32: 32-bit state, uniform floats in [0, 1). Small, fast, and reproducible across JS engines. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed for one image: mixes the run seed with the image index (a splitmix-style finaliser), so image i's
 * draw does not depend on how many images come before it or arrive later.
 */
export function imageSeed(seed: number, image: number): number {
  let x = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(image + 1, 0x85ebca77)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Fisher–Yates shuffle of `items` in place with the given generator. */
export function shuffleInPlace(items: Uint16Array, next: () => number): Uint16Array {
  for (let j = items.length - 1; j > 0; j--) {
    const pick = Math.floor(next() * (j + 1));
    const tmp = items[j];
    items[j] = items[pick];
    items[pick] = tmp;
  }
  return items;
}
