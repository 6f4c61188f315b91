import fc from 'fast-check';
import type { OverlapPolicy } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

interface ScheduleCase {
  every: number; // minutes; 0 means the cron '*/5 * * * *'
  overlap: OverlapPolicy;
  runMinutes: number[]; // run lengths, taken in turn
  failEvery: number; // every n-th run throws (0: never)
  immediate: boolean;
}

const scheduleCase = fc.record<ScheduleCase>({
  every: fc.integer({ min: 0, max: 7 }),
  overlap: fc.constantFrom<OverlapPolicy>('skip', 'queue', 'allow'),
  runMinutes: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 5 }),
  failEvery: fc.integer({ min: 0, max: 3 }),
  immediate: fc.boolean(),
});

/** A move of the clock: an advance or a jump, by some minutes. */
const move = fc.record({ jump: fc.boolean(), minutes: fc.integer({ min: 1, max: 45 }) });

describe('the scheduler, over random schedules, run lengths, failures and windows', () => {
  it('never overlaps runs under skip or queue, starts each run at or after its slot, and starts none after stop() began', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scheduleCase, { minLength: 1, maxLength: 4 }),
        fc.array(move, { minLength: 1, maxLength: 6 }),
        fc.array(move, { maxLength: 2 }),
        async (cases, before, after) => {
          const { app, clock } = await appOf([], { shutdownTimeout: '10m', drainDelay: '2m' });
          const violations: string[] = [];
          let stopBegan = false;
          cases.forEach((spec, index) => {
            const name = `s${index}`;
            let running = 0;
            let runs = 0;
            const body = async ({
              scheduledAt,
              startedAt,
              signal,
            }: {
              scheduledAt: Date;
              startedAt: Date;
              signal: AbortSignal;
            }) => {
              if (stopBegan) violations.push(`${name} started after stop() began`);
              if (startedAt.getTime() < scheduledAt.getTime()) violations.push(`${name} started before its slot`);
              if (startedAt.getTime() !== clock.now()) violations.push(`${name} got a startedAt other than now`);
              running++;
              if (running > 1 && spec.overlap !== 'allow') violations.push(`${name} overlapped under ${spec.overlap}`);
              const length = spec.runMinutes[runs % spec.runMinutes.length]!;
              runs++;
              try {
                if (length > 0) await clock.sleep(length * 60_000, signal).catch(() => undefined);
                if (spec.failEvery > 0 && runs % spec.failEvery === 0) throw new Error(`${name} failed`);
              } finally {
                running--;
              }
            };
            const options = { overlap: spec.overlap };
            if (spec.every === 0) app.schedules.add(name, { cron: '*/5 * * * *', ...options }, body);
            else app.schedules.add(name, { every: `${spec.every}m`, immediate: spec.immediate, ...options }, body);
          });
          await app.start();
          for (const { jump, minutes } of before)
            await (jump ? clock.jump(minutes * 60_000) : clock.advance(minutes * 60_000));
          stopBegan = true;
          const stopping = app.stop();
          for (const { jump, minutes } of after)
            await (jump ? clock.jump(minutes * 60_000) : clock.advance(minutes * 60_000));
          await clock.advance('10m');
          const report = await stopping;

          expect(violations).toEqual([]);
          expect(report.problems).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
