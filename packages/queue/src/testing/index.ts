export { persistenceContract } from './persistence-contract.ts';
export { createMemoryPersistence, type MemoryPersistence } from '../local/persistence.ts';
