import type { BullmqBackend } from '../../../src/jobs/engines/bullmq/bullmq-backend.js';
import { createBackend } from '../../../src/jobs/engines/bullmq/index.js';
import { requireRedis } from '../../support/services.js';
import { describeJobsBackendContract } from '../contract/backend-contract.js';
import { deleteKeys, uniquePrefix } from './bullmq-fixtures.js';

const redis = await requireRedis();
const LEASE = 1_000;
const STALLED_INTERVAL = 250;

if (redis.available) {
  describeJobsBackendContract('bullmq', {
    time: 'real',
    lease: LEASE,
    // BullMQ moves a job back on the second stalled check that finds its lock gone.
    recovery: 2 * STALLED_INTERVAL,
    async openStore({ keepCompleted }) {
      const prefix = uniquePrefix();
      return {
        backend: () =>
          createBackend(
            { connection: redis.url, prefix, lockDuration: LEASE, stalledInterval: STALLED_INTERVAL },
            { keepCompleted },
          ),
        dispose: () => deleteKeys(redis.url, prefix),
      };
    },
    async crash(backend) {
      (backend as BullmqBackend).simulateCrash();
    },
  });
} else {
  // Outside CI only (requireRedis fails the file under CI=true): the suite is reported skipped, not silently absent.
  describe.skip('the bullmq jobs backend (contract)', () => {
    it.todo('runs once Redis answers');
  });
}
