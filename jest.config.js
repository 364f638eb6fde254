/** Tests run the TypeScript sources through ts-jest; isolatedModules keeps start-up fast (tsc already type-checks in `npm run build`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 30000,
  testSequencer: '<rootDir>/test/support/sequencer.js',
};
