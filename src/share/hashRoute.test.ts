import { describe, expect, it } from 'vitest';
import { parseHashRoute, reportHash } from './hashRoute';
import { exampleConfig } from './testSupport';
import { configToHash } from './urlState';

const page = 'https://sage.example/app/index.html?x=1';

describe('parseHashRoute', () => {
  it('recognises nothing, the tour and a config link', () => {
    expect(parseHashRoute('', page)).toEqual({ kind: 'none' });
    expect(parseHashRoute('#', page)).toEqual({ kind: 'none' });
    expect(parseHashRoute('#tour', page)).toEqual({ kind: 'tour' });
    const route = parseHashRoute(configToHash(exampleConfig({ k: 4 })), page);
    expect(route.kind === 'config' && route.result.ok && route.result.config.k).toBe(4);
  });

  it('carries a refused config link as a config route with its error', () => {
    const route = parseHashRoute('#c=9.abc', page);
    expect(route).toEqual({
      kind: 'config',
      result: {
        ok: false,
        error: 'this link was made by a newer version (v9); this app reads v1. Update the app or ask for a v1 link.',
      },
      results: null,
    });
  });

  it('resolves report addresses, absolute or relative', () => {
    expect(parseHashRoute(reportHash('https://data.example/r.json?a=1&b=2'), page)).toEqual({
      kind: 'report',
      url: 'https://data.example/r.json?a=1&b=2',
    });
    expect(parseHashRoute('#report=reports%2Fwaterbirds.json', page)).toEqual({
      kind: 'report',
      url: 'https://sage.example/app/reports/waterbirds.json',
    });
    expect(parseHashRoute('#report=/r.json', page)).toEqual({ kind: 'report', url: 'https://sage.example/r.json' });
  });

  it('refuses non-http report addresses and malformed ones', () => {
    expect(parseHashRoute(reportHash('javascript:alert(1)'), page)).toEqual({
      kind: 'invalid',
      error: 'the report address must start with https:// or http:// (got javascript:)',
    });
    expect(parseHashRoute(reportHash('data:application/json,{}'), page).kind).toBe('invalid');
    expect(parseHashRoute('#report=%E0%A4%A', page)).toEqual({
      kind: 'invalid',
      error: 'the report address is not correctly %-encoded',
    });
    expect(parseHashRoute('#report=', page)).toEqual({
      kind: 'invalid',
      error: '#report= needs the address of a report',
    });
    expect(parseHashRoute('#report=http://[::1', page).kind).toBe('invalid');
  });

  it('names an unknown hash', () => {
    expect(parseHashRoute('#results', page)).toEqual({
      kind: 'invalid',
      error: 'unknown link part "#results": expected #c=…, #report=… or #tour',
    });
  });
});
