/**
 * An independent check of discovery against numpy (skipped when /usr/bin/python3 has no numpy): B2T scores,
 * top-k presence, δ with Newcombe's interval and MI, computed there from the same random data.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { discoverAttributes } from './discovery';
import { mulberry32 } from './random';
import { randomMatrix } from './testRandom.fixture';

const PYTHON = '/usr/bin/python3';
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

const SCRIPT = `
import json, sys, math
import numpy as np
d = json.load(sys.stdin)
n, dim, v, c, k = d['n'], d['dim'], d['v'], d['c'], d['k']
x = np.array(d['x'], dtype=np.float64).reshape(n, dim)
e = np.array(d['e'], dtype=np.float64).reshape(v, dim)
y = np.array(d['labels']); p = np.array(d['predicted'])
xu = x / np.linalg.norm(x, axis=1, keepdims=True)
eu = e / np.linalg.norm(e, axis=1, keepdims=True)
scores = x @ eu.T
order = np.argsort(-scores, axis=1, kind='stable')[:, :k]
present = np.zeros((n, v), dtype=bool)
present[np.arange(n)[:, None], order] = True
z = 1.96
def wilson(s, m):
    ph = s / m; den = 1 + z * z / m
    cen = (ph + z * z / (2 * m)) / den
    half = z * math.sqrt(ph * (1 - ph) / m + z * z / (4 * m * m)) / den
    return max(0.0, cen - half), min(1.0, cen + half)
out = []
for cls in range(c):
    idx = y == cls
    right = (p == y) & idx; wrong = (p != y) & idx
    b2t = 100 * eu @ (xu[wrong].mean(axis=0) - xu[right].mean(axis=0))
    for w in range(v):
        pr = present[idx, w]; err = (p[idx] != cls)
        n1 = int(pr.sum()); n0 = int((~pr).sum())
        if n1 < 10 or n0 < 10: continue
        joint = np.array([[np.sum(pr & err), np.sum(pr & ~err)], [np.sum(~pr & err), np.sum(~pr & ~err)]], dtype=float) / idx.sum()
        pa = joint.sum(axis=1); pb = joint.sum(axis=0)
        mi = sum(joint[a, b] * math.log(joint[a, b] / (pa[a] * pb[b])) for a in range(2) for b in range(2) if joint[a, b] > 0)
        if mi <= 1e-12: continue
        c1 = int(np.sum(pr & ~err)); c0 = int(np.sum(~pr & ~err))
        p1, p0 = c1 / n1, c0 / n0
        l1, u1 = wilson(c1, n1); l0, u0 = wilson(c0, n0)
        dl = p1 - p0
        out.append({'class': cls, 'word': w, 'b2t': float(b2t[w]), 'delta': dl, 'mi': mi,
                    'lo': dl - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), 'hi': dl + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)})
print(json.dumps({'rows': out, 'top': order.tolist()}))
`;

describe.skipIf(!hasNumpy)('discovery against numpy', () => {
  it('gives the same tags, B2T scores, δ, intervals and MI', () => {
    const n = 300;
    const dim = 12;
    const v = 15;
    const c = 3;
    const k = 3;
    const next = mulberry32(11);
    const x = randomMatrix(n, dim, 5);
    const e = randomMatrix(v, dim, 6);
    const labels = Array.from({ length: n }, (_, i) => i % c);
    // errors that depend on the image (its first coordinate), so some words carry information about them
    const predicted = labels.map((y, i) => (x[i * dim] + 0.5 * next() > 0.55 ? (y + 1) % c : y));
    const input = { n, dim, v, c, k, x: Array.from(x), e: Array.from(e), labels, predicted };
    const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(input), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const reference = JSON.parse(run.stdout) as {
      rows: { class: number; word: number; b2t: number; delta: number; mi: number; lo: number; hi: number }[];
      top: number[][];
    };
    const words = Array.from({ length: v }, (_, w) => `w${w}`);
    const result = discoverAttributes(
      { imageEmbeddings: x, n, dim, classes: ['a', 'b', 'c'], labels, predicted, words, wordEmbeddings: e },
      { topK: k },
    );
    expect(Array.from(result.tags.topWords)).toEqual(reference.top.flat());
    const ours = result.classes.flatMap((cls) =>
      [...cls.hurts, ...cls.helps].map((row) => ({ class: cls.classIndex, ...row })),
    );
    expect(ours.length).toBe(reference.rows.length);
    expect(reference.rows.length).toBeGreaterThan(5);
    for (const ref of reference.rows) {
      const row = ours.find((r) => r.class === ref.class && r.wordIndex === ref.word);
      expect(row, `class ${ref.class} word ${ref.word}`).toBeDefined();
      if (row === undefined) continue;
      expect(row.b2tScore).toBeCloseTo(ref.b2t, 3);
      expect(row.delta).toBeCloseTo(ref.delta, 10);
      expect(row.mi).toBeCloseTo(ref.mi, 10);
      expect(row.ci95[0]).toBeCloseTo(ref.lo, 10);
      expect(row.ci95[1]).toBeCloseTo(ref.hi, 10);
    }
  });
});
