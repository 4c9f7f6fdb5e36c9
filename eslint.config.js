// Lint enforces the architecture: deterministic workflows, a pure core, one reader of process.env.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const builtinPatterns = [{ group: ['node:*'], message: 'Node builtins do I/O or are nondeterministic; not allowed here.' }];

export default tseslint.config(
  { ignores: ['build/**', '.react-router/**', '.data/**', 'node_modules/**', 'test-results/**', 'db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through env() from platform/env.ts.' }],
    },
  },
  // The one module that reads process.env, plus the test harness that hands env to child processes.
  {
    files: ['platform/env.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // Tests read arbitrary JSON responses.
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Workflow code runs in Temporal's deterministic sandbox and is replayed.
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node builtins. Use an activity.' })),
          patterns: [
            ...builtinPatterns,
            { regex: '^(#(db|platform|app|workers)/|(\\.\\./)+(db|platform|app|workers)/|pg$|drizzle-orm)', message: 'Workflows do no I/O: call an activity.' },
            { regex: '^(#activities/|(\\.\\./)+activities/)', allowTypeImports: true, message: 'Only `import type` from activities/ (proxyActivities<T>).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process in workflows: pass configuration in the input.' }],
    },
  },
  // The core is pure: no I/O, no clock, no environment.
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'core/ is pure: no Node builtins.' })),
          patterns: [
            ...builtinPatterns,
            { regex: '^(#(db|platform|app|activities|workflows|workers)/|(\\.\\./)+(db|platform|app|activities|workflows|workers)/|@temporalio/|pg$|drizzle-orm)', message: 'core/ depends on nothing in the repo but itself.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ reads no environment.' }, { name: 'fetch', message: 'core/ does no I/O.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'core/ reads no clock: take the time as an argument.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ reads no clock: take the time as an argument.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'core/ is deterministic.' },
      ],
    },
  },
  // Client-side app code never reaches the server modules directly.
  {
    files: ['app/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^#(activities|workers)/', message: 'The app starts workflows; it never runs activities.' }] },
      ],
    },
  },
);
