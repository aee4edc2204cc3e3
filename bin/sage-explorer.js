#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's ESM loader, so `npm run cli -- …` works right after `npm ci` (no build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
await runCli(process.argv.slice(2));
