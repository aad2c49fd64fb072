import { persistenceContract } from '../testing/persistence-contract.ts';
import { createMemoryPersistence } from './persistence.ts';

persistenceContract('memory', async () => {
  const persistence = createMemoryPersistence();
  return { persistence, reopen: async () => persistence };
});
