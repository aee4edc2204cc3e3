import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { METHOD_IDS } from '../core/types';
import clipTemplates from '../core/clipTemplates.json';
import type { ExplorerConfig } from '../core/config';
import { encodeBase64Url } from '../core/base64';
import { XSS, exampleConfig, randomInt, seededRandom } from './testSupport';
import {
  LINK_LIMITS,
  configToHash,
  decodeConfigHash,
  decodeConfigParam,
  encodeConfigParam,
  encodePayload,
  fnv1a32,
  inflateCapped,
  shareUrl,
  type ConfigDecodeResult,
} from './urlState';

function expectOk(result: ConfigDecodeResult): ExplorerConfig {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return result.config;
}

function expectError(result: ConfigDecodeResult): string {
  if (result.ok) throw new Error(`expected an error, got config ${JSON.stringify(result.config).slice(0, 200)}`);
  return result.error;
}

/** A v1 link for an arbitrary compact payload (to test validation of hand-made links). */
const linkFor = (payload: unknown, version = 1): string => `${version}.${encodePayload(payload)}`;

/** Packs raw deflate bytes with a valid checksum, i.e. what passes the corruption check. */
function withChecksum(deflated: Uint8Array): string {
  const bytes = new Uint8Array(deflated.length + 4);
  bytes.set(deflated);
  new DataView(bytes.buffer).setUint32(deflated.length, fnv1a32(deflated));
  return encodeBase64Url(bytes);
}

/** Every decode outcome must be a well-formed result object; an exception fails the test. */
function assertResultShape(result: ConfigDecodeResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) expect(Array.isArray(result.warnings)).toBe(true);
  else expect(result.error.length).toBeGreaterThan(0);
}

describe('urlState round trip', () => {
  const cases: [string, ExplorerConfig][] = [
    ['defaults', exampleConfig()],
    [
      'every field changed',
      exampleConfig({
        model: 'local:tiny',
        dtype: 'q8',
        method: 'random',
        k: 7,
        aggregate: 'score',
        seed: 4294967295,
        zeroshotTemplate: 3,
        groupPromptPattern: 'a {class} seen against {attribute}',
      }),
    ],
    ['one template removed', exampleConfig({ templates: clipTemplates.filter((_, i) => i !== 5) })],
    [
      'one template edited',
      exampleConfig({ templates: clipTemplates.map((t, i) => (i === 10 ? 'a weird {} here.' : t)) }),
    ],
    [
      'templates reordered and added',
      exampleConfig({ templates: [...clipTemplates.slice(40), 'my own {}', ...clipTemplates.slice(0, 40)] }),
    ],
    [
      'a fully custom pool',
      exampleConfig({ templates: ['{}', 'a photo of {}.', 'ein Foto von {}.'], zeroshotTemplate: 0 }),
    ],
    [
      '1,000 templates',
      exampleConfig({ templates: Array.from({ length: 1000 }, (_, i) => `template ${i} of a {}.`), k: 1000 }),
    ],
    [
      'unicode and markup are plain data',
      exampleConfig({
        classes: ['🐦 oiseau', XSS, 'naïve "quoted", comma', 'x'.repeat(1000)],
        attributes: ['', 'wasser/земля', '</script>'],
      }),
    ],
    ['no attributes', exampleConfig({ classes: ['cat', 'dog'], attributes: [] })],
  ];
  for (const [name, config] of cases) {
    it(`restores ${name} exactly`, () => {
      const result = decodeConfigHash(configToHash(config));
      expect(expectOk(result)).toEqual(config);
      if (result.ok) expect(result.warnings).toEqual([]);
    });
  }

  it('keeps a default link short (the default pool is a reference, not 80 strings)', () => {
    const param = encodeConfigParam(exampleConfig());
    const custom = encodeConfigParam(exampleConfig({ templates: clipTemplates.map((t) => t.toUpperCase()) }));
    console.log(`link size: default pool ${param.length} chars, custom 80-template pool ${custom.length} chars`);
    expect(param.length).toBeLessThan(120);
    expect(custom.length).toBeGreaterThan(param.length * 5);
  });

  it('shareUrl replaces an existing hash and keeps the page address', () => {
    const url = shareUrl(exampleConfig(), 'https://example.org/app/?x=1#tour');
    expect(url.startsWith('https://example.org/app/?x=1#c=1.')).toBe(true);
    expect(expectOk(decodeConfigHash(url.slice(url.indexOf('#'))))).toEqual(exampleConfig());
  });
});

describe("urlState field validation: what is wrong, in the user's words", () => {
  const base = { c: ['landbird', 'waterbird'], a: ['land', 'water'] };
  const cases: [string, Record<string, unknown>, string][] = [
    ['empty class', { ...base, c: ['a', 'b', '  '] }, 'class 3: class string is empty'],
    ['no classes', { ...base, c: [] }, 'class list: at least 2 classes are needed, got 0'],
    [
      'a single class (the core needs two to compare)',
      { ...base, c: ['only'] },
      'class list: at least 2 classes are needed, got 1',
    ],
    ['duplicate class', { ...base, c: ['cat', 'dog', 'cat'] }, 'class 3 (cat): duplicate of class 1 ("cat")'],
    ['class not a string', { ...base, c: ['cat', 3] }, 'class 2 should be text, but is 3'],
    ['classes not a list', { ...base, c: 'cat' }, 'class list should be a list, but is "cat"'],
    ['missing classes', { a: [] }, 'class list is missing'],
    [
      'control character',
      { ...base, c: ['ca\nt', 'dog'] },
      'class 1 (ca t) contains a control character (U+000A) at position 2',
    ],
    ['K = 0', { ...base, k: 0 }, 'K (templates per image) should be a whole number of at least 1, but is 0'],
    ['K fractional', { ...base, k: 1.5 }, 'K (templates per image) should be a whole number of at least 1, but is 1.5'],
    ['K as text', { ...base, k: '3' }, 'K (templates per image) should be a whole number of at least 1, but is "3"'],
    [
      'template without {}',
      { ...base, t: [[0, 3], 'no placeholder'] },
      'template 5 (no placeholder): template "no placeholder" has no "{}" placeholder for the class',
    ],
    [
      'template index out of range',
      { ...base, t: [80] },
      'template list entry 1 refers to built-in template 80, which does not exist (the pool has 80, numbered from 0)',
    ],
    ['backwards range', { ...base, t: [[9, 2]] }, 'template list entry 1 is the range 9…2, which runs backwards'],
    [
      'template entry object',
      { ...base, t: ['a {}', {}] },
      'template list entry 2 should be a template, a built-in template number or a [first, last] range, but is an object',
    ],
    ['empty pool', { ...base, t: [] }, 'template list: at least one template is needed'],
    [
      'unknown method',
      { ...base, me: 'magic' },
      `method should be one of ${[...METHOD_IDS, 'adapter'].map((id) => `"${id}"`).join(', ')}, but is "magic"`,
    ],
    ['unknown dtype', { ...base, d: 'int4' }, 'precision (dtype) should be one of "fp32", "fp16", "q8", but is "int4"'],
    ['negative seed', { ...base, s: -1 }, 'random seed should be a whole number from 0 to 4294967295, but is -1'],
    [
      'zero-shot template outside the pool',
      { ...base, t: ['a {}'], z: 39 },
      'zero-shot template is number 39, but the pool has 1 template (numbered from 0)',
    ],
    ['empty model', { ...base, m: '' }, 'model id is empty'],
    [
      'pattern without class',
      { ...base, g: 'a photo of {attribute}' },
      'group prompt pattern: pattern has no "{class}"',
    ],
    [
      'pattern without attribute',
      { ...base, g: 'a photo of {class}' },
      'group prompt pattern: pattern has no "{attribute}"',
    ],
    [
      'duplicate template',
      { ...base, t: [[0, 3], 2] },
      'template 5 (a sculpture of a {}.): duplicate of template 3 ("a sculpture of a {}.")',
    ],
    ['duplicate attribute', { ...base, a: ['land', 'land'] }, 'attribute 2 (land) is the same as attribute 1'],
    [
      'payload is a list',
      [] as unknown as Record<string, unknown>,
      'the link data should be an object, but is a list of 0',
    ],
  ];
  for (const [name, payload, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(expectError(decodeConfigParam(linkFor(payload)))).toBe(message);
    });
  }

  it('rejects 1,001 classes and 5,001 templates by count, not by running out of memory', () => {
    expect(expectError(decodeConfigParam(linkFor({ c: Array.from({ length: 1001 }, (_, i) => `c${i}`), a: [] })))).toBe(
      'class list has too many entries (1001; at most 1000)',
    );
    expect(
      expectError(decodeConfigParam(linkFor({ c: ['a', 'b'], a: [], t: Array.from({ length: 100 }, () => [0, 79]) }))),
    ).toBe('template list has more than 5000 templates');
  });

  it('clamps K above the pool size with a warning instead of refusing the link', () => {
    const result = decodeConfigParam(linkFor({ c: ['a', 'b'], a: [], k: 500 }));
    expect(expectOk(result).k).toBe(80);
    expect(result.ok && result.warnings).toEqual([
      'K (templates per image) is 500, more than the 80 templates; using 80',
    ]);
  });

  it('warns about unknown fields and still opens', () => {
    const result = decodeConfigParam(linkFor({ c: ['a', 'b'], a: [], zz: 1, __proto__x: 2 }));
    expect(expectOk(result).classes).toEqual(['a', 'b']);
    expect(result.ok && result.warnings).toEqual([
      'link data: unknown field "zz" ignored (made by a newer app?)',
      'link data: unknown field "__proto__x" ignored (made by a newer app?)',
    ]);
  });

  it('does not let a "__proto__" key reach an object', () => {
    const param = `1.${withChecksum(deflateSync(new TextEncoder().encode('{"c":["a","b"],"a":[],"__proto__":{"model":"evil"}}')))}`;
    const result = decodeConfigParam(param);
    expect(expectOk(result).model).toBe('Xenova/clip-vit-base-patch32');
    expect(({} as Record<string, unknown>).model).toBeUndefined();
  });
});

describe('urlState versions', () => {
  it('says clearly when a link comes from a newer version', () => {
    expect(expectError(decodeConfigParam(linkFor({ c: ['a', 'b'], a: [] }, 3)))).toBe(
      'this link was made by a newer version (v3); this app reads v1. Update the app or ask for a v1 link.',
    );
  });

  it('says clearly when a version cannot be read and has no migration', () => {
    expect(expectError(decodeConfigParam(linkFor({ c: ['a', 'b'], a: [] }, 0)))).toBe(
      'this link is v0, which this app (v1) can no longer read: no migration from v0',
    );
  });

  it('runs the migration hook for older versions', () => {
    // A pretend v0 that called classes "classNames": the migration renames the field.
    const migrations = {
      0: (payload: unknown) => {
        const { classNames, ...rest } = payload as { classNames: string[] };
        return { ok: true as const, payload: { ...rest, c: classNames } };
      },
    };
    const result = decodeConfigParam(linkFor({ classNames: ['old', 'older'], a: [] }, 0), { migrations });
    expect(expectOk(result).classes).toEqual(['old', 'older']);
    expect(result.ok && result.migratedFrom).toBe(0);
  });

  it('reports a migration that refuses or throws, without throwing', () => {
    const refusing = { 0: () => ({ ok: false as const, error: 'v0 links stored templates by name' }) };
    expect(expectError(decodeConfigParam(linkFor({}, 0), { migrations: refusing }))).toBe(
      'this link is v0 and cannot be upgraded: v0 links stored templates by name',
    );
    const throwing = {
      0: () => {
        throw new Error('boom');
      },
    };
    expect(expectError(decodeConfigParam(linkFor({}, 0), { migrations: throwing }))).toBe(
      'migrating this link from v0 failed: boom',
    );
  });

  it('rejects things that are not links', () => {
    expect(expectError(decodeConfigHash('#report=x'))).toMatch(/should start with "c="/);
    expect(expectError(decodeConfigParam('hello'))).toMatch(/expected c=<version>.<data>/);
    expect(expectError(decodeConfigParam(''))).toMatch(/expected c=<version>.<data>/);
  });
});

describe('urlState fuzz (seeded; every outcome is ok or error, never an exception)', () => {
  const valid = encodeConfigParam(
    exampleConfig({
      classes: ['cat', 'dog', 'bird'],
      k: 3,
      zeroshotTemplate: 30,
      templates: [...clipTemplates.slice(0, 30), 'x {}'],
    }),
  );

  it('the fuzz seed link itself is valid', () => {
    expect(expectOk(decodeConfigParam(valid)).templates).toHaveLength(31);
  });

  it('random strings (seed 1)', () => {
    const random = seededRandom(1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/%# \u00e9\u{1F600}\u0000';
    for (let run = 0; run < 2000; run++) {
      const length = randomInt(random, 300);
      let text = random() < 0.5 ? '1.' : '';
      for (let i = 0; i < length; i++) text += [...alphabet][randomInt(random, [...alphabet].length)];
      const result = decodeConfigParam(text);
      assertResultShape(result);
      expect(result.ok).toBe(false);
    }
  });

  it('random bytes that pass the checksum, so the inflater and JSON parser see garbage (seed 2)', () => {
    const random = seededRandom(2);
    for (let run = 0; run < 2000; run++) {
      const bytes = new Uint8Array(1 + randomInt(random, 400));
      for (let i = 0; i < bytes.length; i++) bytes[i] = randomInt(random, 256);
      const result = decodeConfigParam(`1.${withChecksum(bytes)}`);
      assertResultShape(result);
      expect(result.ok).toBe(false);
    }
  });

  it('truncated at every length', () => {
    for (let length = 0; length < valid.length; length++) {
      const result = decodeConfigParam(valid.slice(0, length));
      assertResultShape(result);
      expect(result.ok, `prefix of length ${length}`).toBe(false);
    }
    expect(decodeConfigParam(valid).ok).toBe(true);
  });

  it('every single-bit flip of the link bytes is detected', () => {
    const data = valid.slice(2);
    const bytes = Buffer.from(data, 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Uint8Array.from(bytes);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      const result = decodeConfigParam(`1.${encodeBase64Url(flipped)}`);
      assertResultShape(result);
      expect(result.ok, `bit ${bit}`).toBe(false);
    }
  });

  it('random character substitutions (seed 3)', () => {
    const random = seededRandom(3);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let run = 0; run < 2000; run++) {
      const chars = [...valid];
      const at = 2 + randomInt(random, chars.length - 2);
      const replacement = alphabet[randomInt(random, alphabet.length)];
      if (chars[at] === replacement) continue;
      chars[at] = replacement;
      const result = decodeConfigParam(chars.join(''));
      assertResultShape(result);
      // A change in the last character can hit only padding bits, which leaves the bytes unchanged.
      if (result.ok) expect(result.config).toEqual(expectOk(decodeConfigParam(valid)));
    }
  });

  it('random JSON values in every field (seed 4)', () => {
    const random = seededRandom(4);
    const randomValue = (depth: number): unknown => {
      switch (randomInt(random, depth > 2 ? 6 : 8)) {
        case 0:
          return null;
        case 1:
          return random() < 0.5;
        case 2:
          return [0, -1, 1, 80, 1.5, 1e308, -0, 4294967296][randomInt(random, 8)];
        case 3:
          return ['', ' ', 'a', '{}', 'a {}', XSS, 'sage', 'fp16', 'score', '{class} {attribute}'][
            randomInt(random, 10)
          ];
        case 4:
          return randomInt(random, 5);
        case 5:
          return 'x'.repeat(randomInt(random, 1200));
        case 6:
          return Array.from({ length: randomInt(random, 5) }, () => randomValue(depth + 1));
        default:
          return { nested: randomValue(depth + 1) };
      }
    };
    const keys = ['m', 'd', 'c', 'a', 't', 'g', 'me', 'k', 'ag', 's', 'z'];
    let accepted = 0;
    for (let run = 0; run < 3000; run++) {
      const payload: Record<string, unknown> = { c: ['a', 'b'], a: [] };
      for (const key of keys) if (random() < 0.3) payload[key] = randomValue(0);
      const result = decodeConfigParam(linkFor(payload));
      assertResultShape(result);
      if (result.ok) accepted++;
    }
    // Both branches are exercised: some random payloads are valid configs, most are not.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(3000);
  });

  it('refuses a huge link before decoding it', () => {
    const huge = `1.${'A'.repeat(10_000_000)}`;
    expect(expectError(decodeConfigParam(huge))).toBe(
      `link data is too long (${huge.length} characters; at most ${LINK_LIMITS.encodedChars})`,
    );
  });

  it('refuses a zip bomb with a valid checksum (64 MiB of zeros in ~64 KiB of link)', () => {
    const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 });
    const param = `1.${withChecksum(bomb)}`;
    expect(param.length).toBeLessThan(LINK_LIMITS.encodedChars);
    expect(expectError(decodeConfigParam(param))).toBe(
      `link data expands to more than ${LINK_LIMITS.decompressedBytes} bytes; refused`,
    );
  });
});

describe('inflateCapped', () => {
  it('returns the bytes under the cap and stops over it', () => {
    const data = new TextEncoder().encode('hello '.repeat(1000));
    const deflated = deflateSync(data);
    const ok = inflateCapped(deflated, data.length);
    expect(ok.ok && new TextDecoder().decode(ok.bytes)).toBe('hello '.repeat(1000));
    expect(inflateCapped(deflated, data.length - 1).ok).toBe(false);
  });

  it('reports data that ends early', () => {
    const deflated = deflateSync(new TextEncoder().encode('x'.repeat(5000) + Math.random()));
    const result = inflateCapped(deflated.subarray(0, deflated.length - 3), 1 << 20);
    expect(result.ok).toBe(false);
  });
});
