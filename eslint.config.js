import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Issue 10: SQL lives in repositories, and a module is used by the others only through its
// index.ts. drizzle-orm is for the modules' repositories, the shared SQL helpers
// (api/src/lib/repository), the outbox/queue plumbing, the db package and tests.
const SQL_HOMES = [
  'api/src/modules/*/repository.ts',
  'api/src/modules/*/repository/**',
  'api/src/lib/repository/**',
  'api/src/jobs/relay.ts',
  'api/src/jobs/queue.ts',
  'api/src/jobs/outbox.ts',
  '**/*.test.ts',
];
const noDrizzle = { name: 'drizzle-orm', message: 'SQL belongs in a repository (modules/<m>/repository.ts).' };
const noDrizzleDeep = { group: ['drizzle-orm/*'], message: noDrizzle.message };
const throughIndex = (regex) => ({ regex, message: 'Import a module through its index.ts.' });
const restrictImports = (patterns) => ({
  'no-restricted-imports': ['error', { paths: [noDrizzle], patterns: [noDrizzleDeep, ...patterns] }],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/.svelte-kit/**',
      'web/src/lib/api/**',
      '.data/**',
      'db/migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['web/**/*.svelte', 'web/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['api/src/**/*.ts', 'worker/src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.svelte'],
    ignores: [...SQL_HOMES, 'api/src/modules/**'],
    rules: restrictImports([throughIndex('^(\\./|(\\.\\./)+)modules/[a-z-]+/(?!index\\.ts$)')]),
  },
  {
    files: ['api/src/modules/**/*.ts'],
    ignores: SQL_HOMES,
    rules: restrictImports([throughIndex('^\\.\\./(?!\\.\\.)[a-z-]+/(?!index\\.ts$)[^/]+$')]),
  },
  {
    // A repository may use drizzle, but reaches other modules through their index.ts too.
    files: ['api/src/modules/*/repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [throughIndex('^\\.\\./(?!\\.\\.)[a-z-]+/(?!index\\.ts$)[^/]+$')] },
      ],
    },
  },
);
