import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.fixture';

describe('cli dispatcher', () => {
  it('lists the commands with --help', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/analyze\s+run one method/);
    expect(run.stdout).toMatch(/compare\s+all methods/);
  });

  it('exits 2 with one line for a missing or unknown command', () => {
    for (const args of [[], ['frobnicate']]) {
      const run = runCli(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^sage-explorer: (missing command|unknown command "frobnicate")/);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
