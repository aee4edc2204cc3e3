// Lint rules for the whole repo. The layer rule (ui → state → worker protocol → model → core) is enforced with
// no-restricted-imports regexes on the import specifier: every layer lives in its own folder under src/, so a
// relative import that climbs into a forbidden folder names it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import globals from 'globals';

/** A regex matching relative imports that reach one of `folders` under src/ from a file inside src/<layer>/. */
const into = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

const layer = (files, patterns) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-*/',
      'models/*/',
      '!models/synth/',
      'public/',
      'test-results/',
      'test-results-*/',
      'playwright-report/',
      'e2e/artifacts/',
      'bench/tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node, ...globals.worker },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['src/ui/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  // ---- the layer rule ----
  layer(['src/core/**'], [{ regex: '^\\.\\./', message: 'core is pure: it imports nothing outside src/core.' }]),
  layer(
    ['src/model/**'],
    [
      {
        regex: into(['worker', 'state', 'ui', 'share']),
        message: 'model sits below worker, state and ui: it may import core only.',
      },
    ],
  ),
  {
    // tests may use the repo's fixture scripts; the model code itself may not
    files: ['src/model/**'],
    ignores: ['src/model/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `${into(['worker', 'state', 'ui', 'share'])}|^(\\.\\./)+(scripts|cli|bench)(/|$)`,
              message: 'model sits below worker, state and ui: it may import core only.',
            },
          ],
        },
      ],
    },
  },
  layer(
    ['src/worker/**'],
    [{ regex: into(['state', 'ui', 'share']), message: 'the worker imports model and core only.' }],
  ),
  layer(
    ['src/share/**'],
    [
      {
        regex: into(['model', 'worker', 'state', 'ui']),
        message: 'share (URL state, reports, exports) builds on core only.',
      },
    ],
  ),
  layer(['src/state/**'], [{ regex: into(['ui']), message: 'state never imports ui.' }]),
  layer(
    ['src/ui/**'],
    [
      { regex: into(['model', 'worker']), message: 'ui reaches the model and the worker only through src/state.' },
      {
        regex: into(['core']),
        allowTypeImports: true,
        message: 'ui uses core for types only; computations go through src/state.',
      },
    ],
  ),
  layer(['cli/**'], [{ regex: '^(\\.\\./)+src/(ui|state|worker)(/|$)', message: 'the CLI runs on core and model.' }]),
);
