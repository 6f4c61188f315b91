import { describeJobsBackendContract } from '../contract/backend-contract.js';
import { sqliteBackend, temporaryFolder } from './sqlite-harness.js';

const LEASE = 3_000;
const POLL_INTERVAL = 500;

describeJobsBackendContract('sqlite', {
  time: 'virtual',
  lease: LEASE,
  recovery: POLL_INTERVAL,
  async openStore({ keepCompleted }) {
    const folder = temporaryFolder();
    return {
      backend: () => sqliteBackend(folder.file(), { lease: LEASE, pollInterval: POLL_INTERVAL }, keepCompleted),
      async dispose() {
        folder.dispose();
      },
    };
  },
});
