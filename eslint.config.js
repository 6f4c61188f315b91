// Type-aware lint with a small rule set, each rule for a bug class this codebase has met or must never meet.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The host's time primitives: only SystemClock may touch them, so that VirtualClock controls all of Ordo's time. */
const hostTime = [
  {
    object: 'Date',
    property: 'now',
    message: 'Read time through the injected Clock (only SystemClock reads Date.now).',
  },
  { object: 'performance', property: 'now', message: 'Read time through the injected Clock.' },
];
const hostTimers = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'].map((name) => ({
  name,
  message: 'Arm timers through the injected Clock (only SystemClock calls the host timers).',
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.build/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // TypeScript checks these itself, better.
      'no-undef': 'off',
      'no-unused-vars': 'off',
      'no-redeclare': 'off',
      'no-dupe-class-members': 'off',
      // A promise nobody awaits or handles is how shutdowns lose work and tests pass without asserting.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (event listeners, forEach) drops its rejection.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // Errors carry a code, a message and a cause: throw Error objects, never strings.
      '@typescript-eslint/only-throw-error': 'error',
      // Type-only imports stay type-only under isolatedModules and ESM.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/time/system-clock.ts'],
    rules: {
      'no-restricted-properties': ['error', ...hostTime],
      'no-restricted-globals': ['error', ...hostTimers],
    },
  },
  {
    // One privacy style in src: ES private fields (`#x`), which are private at run time too. A constructor stays
    // `private constructor()`, which has no `#` form.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'TSParameterProperty[accessibility="private"]',
          'PropertyDefinition[accessibility="private"]',
          'AccessorProperty[accessibility="private"]',
          'MethodDefinition[accessibility="private"][kind!="constructor"]',
        ].map((selector) => ({
          selector,
          message: 'Use an ES private member (`#x`) instead of TypeScript `private`: one privacy style in src.',
        })),
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Test doubles and benchmark peers often need a loose type or an unused parameter.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
