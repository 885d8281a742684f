// Unit tests sit beside the code (src/, client/) as *.spec.ts; end-to-end tests are test/*.e2e-spec.ts.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/client', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 30000,
};
