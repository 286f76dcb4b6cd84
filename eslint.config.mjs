// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // libs/client/src/generated is written by `npm run client:generate` and held to the OpenAPI
    // document by `npm run client:check`, not edited or linted.
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'deploy/**',
      '**/*.js',
      '**/*.mjs',
      'libs/client/src/generated/**',
      'libs/client/dist/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Libraries meet at their entry point (index.ts): no deep import of another library's files.
    // A second entry point is allowed only where it is deliberate and documented (CONTRIBUTING.md,
    // "Library boundaries"). Tests (test/**, *.spec.ts) may reach internals they test. Cycles
    // between libraries are found by test/lint/library-graph.ts (also run by `npm run lint`).
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@mediator/*/**',
                '!@mediator/kinds/*',
                '!@mediator/persistence/sql',
                '!@mediator/client/kafka',
              ],
              message:
                "Import the library's entry point (@mediator/<lib>), and export from its index.ts what others need.",
            },
          ],
        },
      ],
    },
  },
  {
    // The core is pure TypeScript: no framework, driver or transport may leak into it.
    files: ['libs/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'mongoose', 'socket.io', 'socket.io-*', 'kafkajs', 'ioredis', 'fastify', '@mediator/*'], message: 'libs/core has no framework or I/O dependencies.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
