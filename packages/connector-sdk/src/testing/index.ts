export { connectorContract } from './contract.ts';
export type { ContractOptions } from './contract.ts';
export { startFakeServer } from './fake-server.ts';
export type { FailOptions, FakeRequest, FakeResponse, FakeRoute, FakeServer, LocalFakeServer } from './fake-server.ts';
export { createMemoryXref, createTestContext, createTestServices, refusingSandbox, runAction } from './services.ts';
export type { CapturedLog, TestContextOptions, TestServices, TestServicesOptions } from './services.ts';
