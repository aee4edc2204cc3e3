#!/usr/bin/env python3
"""Independent numpy reimplementation of SPEC §7 (issue 11): RoboShot, TIE*, TIE, Orth-Proj, Orth-Cali.

Written from the spec's formulas, not from the TypeScript: it reads the sage-embeddings/1 bundle itself,
orthonormalises with an SVD (not Gram-Schmidt) and inverts (I + λM) directly as a d×d matrix (not Woodbury),
so agreement with src/core/attributeMethods.ts checks the maths rather than a shared code path.

Usage: methods_reference.py < request.json > results.json
  request: {"jobs": [{"bundle": "<path>", "config": {"method": "tiestar", "template": 0,
            "phrasings": [...], "accept": [[p, q], ...], "groupPromptPattern": "...", "lambda": 1000}}, ...]}
  results: {"results": [{"predicted": [int], "scores": [[float]], "parameters": {...}}, ...]}
"""
import base64
import json
import sys

import numpy as np


def vector(value, dim):
    if isinstance(value, str):
        v = np.frombuffer(base64.b64decode(value), dtype='<f4')
    else:
        v = np.asarray(value, dtype=np.float32)
    assert v.shape == (dim,), f'expected {dim} numbers, got {v.shape}'
    return v.astype(np.float64)


def unit(m):
    m = np.asarray(m, dtype=np.float64)
    n = np.linalg.norm(m, axis=-1, keepdims=True)
    return np.where(n > 0, m / np.where(n > 0, n, 1), 0)


def load_bundle(path):
    with open(path, encoding='utf-8') as f:
        b = json.load(f)
    dim, classes, templates = b['dim'], b['classes'], b['templates']
    text = np.stack([vector(v, dim) for v in b['text']])
    images = np.stack([vector(im['embedding'], dim) for im in b['images']])
    lookup = {}
    # same precedence as the spec's "extra text embeddings keyed by exact text": grid, group prompts, prompts
    for t, template in enumerate(templates):
        for c, cls in enumerate(classes):
            lookup.setdefault(template.replace('{}', cls), text[t * len(classes) + c])
    for g in b.get('groupPrompts', []):
        lookup[g['prompt']] = vector(g['embedding'], dim)
    for p in b.get('prompts', []):
        lookup[p['text']] = vector(p['embedding'], dim)
    attributes = sorted({im['attribute'] for im in b['images'] if im['attribute'] != ''})
    labels = np.array([attributes.index(im['attribute']) if im['attribute'] in attributes else -1 for im in b['images']])
    return {'dim': dim, 'classes': classes, 'text': text, 'images': images, 'lookup': lookup,
            'attributes': attributes, 'labels': labels}


def T(bundle, s):
    if s not in bundle['lookup']:
        raise KeyError(f'missing prompt "{s}"')
    return unit(bundle['lookup'][s])


def span_basis(vectors, dim):
    """Orthonormal basis (columns) of the span, by SVD; rank from singular values (relative 1e-6)."""
    if len(vectors) == 0:
        return np.zeros((dim, 0))
    a = np.stack(vectors, axis=1)
    u, s, _ = np.linalg.svd(a, full_matrices=False)
    if s.size == 0 or s[0] == 0:
        return np.zeros((dim, 0))
    return u[:, s > 1e-6 * s[0]]


def run(bundle, config):
    dim, classes, attributes = bundle['dim'], bundle['classes'], bundle['attributes']
    C = len(classes)
    x = unit(bundle['images'])
    t0 = config['template']
    w = unit(bundle['text'][t0 * C:(t0 + 1) * C])
    phrasings = config['phrasings']
    f = unit(np.stack([np.mean([T(bundle, p.replace('{}', a)) for p in phrasings], axis=0) for a in attributes]))
    method = config['method']
    params = {}
    if method == 'roboshot':
        reject = [f[i] - f[j] for i in range(len(attributes)) for j in range(i + 1, len(attributes))]
        accept = [T(bundle, p) - T(bundle, q) for p, q in config['accept']]
        qr, qa = span_basis(reject, dim), span_basis(accept, dim)
        # rows are images: x (I − Q Qᵀ)ᵀ = x (I − Q Qᵀ), the projections being symmetric
        x = unit(x @ (np.eye(dim) - qr @ qr.T))
        x = unit(x @ (np.eye(dim) + qa @ qa.T))
        params = {'rejectDirections': qr.shape[1], 'acceptDirections': qa.shape[1]}
    elif method in ('tiestar', 'tie'):
        sims = x @ f.T
        s_hat = bundle['labels'] if method == 'tie' else np.argmax(sims, axis=1)
        alpha = np.array([sims[s_hat == s, s].mean() if np.any(s_hat == s) else np.nan
                          for s in range(len(attributes))])
        known = s_hat >= 0
        shifted = x.copy()
        shifted[known] = unit(x[known] - alpha[s_hat[known]][:, None] * f[s_hat[known]])
        x = shifted
        params = {'alpha': [None if np.isnan(a) else float(a) for a in alpha], 'pseudoAttribute': s_hat.tolist()}
    elif method in ('orthproj', 'orthcali'):
        lam = config['lambda'] if method == 'orthcali' else 0.0
        u = span_basis(list(f), dim)
        p0 = np.eye(dim) - u @ u.T
        pattern = config['groupPromptPattern']
        diffs = []
        for cls in classes:
            z = [T(bundle, pattern.replace('{class}', cls).replace('{attribute}', a)) for a in attributes]
            diffs += [z[i] - z[j] for i in range(len(z)) for j in range(i + 1, len(z))]
        m = len(diffs)
        if m > 0 and lam > 0:
            d = np.stack(diffs, axis=1)
            g = np.eye(dim) + lam * (d @ d.T) / m
            p = p0 @ np.linalg.inv(g)
        else:
            p = p0
        w = unit(w @ p.T)  # rows are classes: w'_c = n(P w_c)
        # the "combine" option: every template × class row through the same P
        params = {'basisSize': u.shape[1], 'pairs': m, 'debiasedText': unit(bundle['text'] @ p.T).tolist()}
    else:
        raise ValueError(f'unknown method {method}')
    scores = x @ w.T
    return {'predicted': np.argmax(scores, axis=1).tolist(), 'scores': scores.tolist(), 'parameters': params}


def main():
    request = json.load(sys.stdin)
    bundles = {}
    results = []
    for job in request['jobs']:
        path = job['bundle']
        if path not in bundles:
            bundles[path] = load_bundle(path)
        results.append(run(bundles[path], job['config']))
    json.dump({'results': results}, sys.stdout)


if __name__ == '__main__':
    main()
