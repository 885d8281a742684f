// Unit tests sit beside the code (src/, client/) as *.spec.ts; end-to-end tests are test/*.e2e-spec.ts.
export default {
  testEnvironment: 'node',
  // The client package's own TypeScript, not its build, as in the type-checker (see tsconfig.json).
  testEnvironmentOptions: { customExportConditions: ['@tickstream/source', 'node', 'node-addons'] },
  roots: ['<rootDir>/src', '<rootDir>/client', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 30000,
  // One test file at a time: the load and latency tests measure a machine nobody else is using.
  maxWorkers: 1,
  // Jest in ESM mode keeps every finished test file's modules alive (jestjs/jest#14605). In one
  // process the heap reached 1.5 GB by the last file, and the GC pauses showed up as latency in the
  // timing tests. A worker whose heap passes this is replaced before the next file.
  workerIdleMemoryLimit: '200MB',
};
