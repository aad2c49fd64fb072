export { connectorContract, contractChecks } from './contract.ts';
export type { ContractCheck, ContractOptions } from './contract.ts';
export type { FailOptions, FakeServer } from './fake-types.ts';
export { createMemoryXref, createTestContext, createTestServices, refusingSandbox, runAction } from './services.ts';
export type { CapturedLog, TestContextOptions, TestServices, TestServicesOptions } from './services.ts';
