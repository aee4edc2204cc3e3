/**
 * `npm run build:cli` (also `prepack`): compiles the CLI (cli/ and the src/ it imports) into one ESM file,
 * dist-cli/sage-explorer.js, the `bin` of the npm package, so an installed CLI runs on plain Node without tsx.
 * npm packages stay external (they are installed beside it); the build fails if the CLI imports a package that is
 * not in package.json "dependencies", because `npm install -g` would not install it.
 * The repo keeps its dev path: bin/sage-explorer.js runs the TypeScript through tsx (`npm run cli -- …`).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT_DIR = join(ROOT, 'dist-cli');
export const CLI_BIN = join(CLI_OUT_DIR, 'sage-explorer.js');

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function buildCli(): Promise<string[]> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
  };
  rmSync(CLI_OUT_DIR, { recursive: true, force: true });
  const result = await build({
    stdin: {
      contents: "import { runCli } from './cli/main.ts';\nawait runCli(process.argv.slice(2));\n",
      resolveDir: ROOT,
      sourcefile: 'sage-explorer-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: CLI_BIN,
    banner: { js: `#!/usr/bin/env node\n// sage-explorer ${manifest.version}: compiled by scripts/build-cli.ts` },
    metafile: true,
    logLevel: 'warning',
  });
  const builtins = new Set(builtinModules);
  const imported = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const entry of output.imports) {
      if (!entry.external || entry.path.startsWith('node:') || builtins.has(entry.path)) continue;
      imported.add(packageName(entry.path));
    }
  }
  const missing = [...imported].filter((name) => manifest.dependencies?.[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `the CLI imports ${missing.join(', ')}, which package.json lists outside "dependencies": an installed CLI would not find it`,
    );
  }
  return [...imported].sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const packages = await buildCli();
  console.log(`wrote ${CLI_BIN} (runtime packages: ${packages.join(', ')})`);
}
