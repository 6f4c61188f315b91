import fc from 'fast-check';
import { Component, OnStart, OnStop, type Clock } from '../../src/index.js';
import type { AppExtension } from '../../src/index.js';
import { appOf, settleWith } from '../support/app-fixtures.js';

type StartBehaviour = 'ok' | 'slow' | 'fail' | 'hang';
type StopBehaviour = 'ok' | 'slow' | 'fail' | 'hang';
interface Spec {
  dependsOn: number[];
  start: StartBehaviour;
  stop: StopBehaviour;
}

const specs = fc.integer({ min: 1, max: 7 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, index) =>
      fc.record<Spec>({
        dependsOn: index === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat(index - 1), { maxLength: 3 }),
        start: fc.constantFrom<StartBehaviour>('ok', 'ok', 'ok', 'slow', 'fail', 'hang'),
        stop: fc.constantFrom<StopBehaviour>('ok', 'ok', 'slow', 'fail', 'hang'),
      }),
    ),
  ),
);

function defineComponents(list: readonly Spec[], journal: { events: string[] }, clock: () => Clock) {
  return list.map((spec, index) => {
    const name = `c${index}`;
    const behave = async (what: StartBehaviour | StopBehaviour, phase: string, signal: AbortSignal) => {
      if (what === 'slow')
        await clock()
          .sleep(`${(index % 3) + 1}s`, signal)
          .catch(() => undefined);
      if (what === 'fail') throw new Error(`${name} ${phase} failed`);
      if (what === 'hang') await new Promise<void>(() => undefined);
    };
    class Generated {
      async start(signal: AbortSignal) {
        journal.events.push(`start-begin:${name}`);
        await behave(spec.start, 'start', signal);
        journal.events.push(`start-end:${name}`);
      }
      async stop(signal: AbortSignal) {
        journal.events.push(`stop-begin:${name}`);
        await behave(spec.stop, 'stop', signal);
        journal.events.push(`stop-end:${name}`);
      }
    }
    Object.defineProperty(Generated, 'name', { value: name });
    Component({ name, dependsOn: spec.dependsOn.map((d) => `c${d}`), startTimeout: '10s', stopTimeout: '5s' })(
      Generated,
    );
    OnStart()(Generated.prototype, 'start', Object.getOwnPropertyDescriptor(Generated.prototype, 'start')!);
    OnStop()(Generated.prototype, 'stop', Object.getOwnPropertyDescriptor(Generated.prototype, 'stop')!);
    return Generated;
  });
}

describe('lifecycle invariants on random component graphs', () => {
  it('start after dependencies, stop before them, and stop exactly the started components once', async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (list) => {
        const trace = { events: [] as string[] };
        let clockRef: Clock | undefined;
        const classes = defineComponents(list, trace, () => clockRef!);
        const { app, clock } = await appOf(classes as never, { shutdownTimeout: '2m' });
        clockRef = clock;
        app.events.on('component:started', ({ name }) => trace.events.push(`started:${name}`));
        app.events.on('component:stopped', ({ name }) => trace.events.push(`stopped:${name}`));
        app.events.on('component:failed', ({ name, phase }) => trace.events.push(`${phase}-failed:${name}`));

        const started = await settleWith(
          clock,
          app.start().then(
            () => true,
            () => false,
          ),
          '1s',
          500,
        );
        if (started) await settleWith(clock, app.stop(), '1s', 500);
        const report = await app.stop();

        const at = (event: string) => trace.events.indexOf(event);
        const completedStart = new Set(list.map((_, i) => `c${i}`).filter((n) => at(`started:${n}`) >= 0));
        list.forEach((spec, index) => {
          const name = `c${index}`;
          for (const dep of spec.dependsOn) {
            if (at(`start-begin:${name}`) >= 0) expect(at(`started:c${dep}`)).toBeGreaterThanOrEqual(0);
            if (at(`start-begin:${name}`) >= 0) expect(at(`started:c${dep}`)).toBeLessThan(at(`start-begin:${name}`));
            if (at(`stop-begin:c${dep}`) >= 0 && at(`stop-begin:${name}`) >= 0) {
              const dependentDone = Math.max(at(`stopped:${name}`), at(`stop-failed:${name}`));
              expect(dependentDone).toBeLessThan(at(`stop-begin:c${dep}`));
            }
          }
          const stopBegins = trace.events.filter((e) => e === `stop-begin:${name}`).length;
          expect(stopBegins).toBe(completedStart.has(name) ? 1 : 0);
        });
        expect(new Set([...report.stopped, ...report.failed.map((f) => f.name), ...report.skipped])).toEqual(
          completedStart,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('stop() settles within the shutdown budget from its call, whenever it comes, and start() settles too', async () => {
    const extensionKinds = fc.constantFrom('none', 'ok', 'start-hangs', 'stop-hangs');
    await fc.assert(
      fc.asyncProperty(
        specs,
        extensionKinds,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 30 }),
        async (list, extensionKind, budgetSeconds, stopAfterHalfSeconds) => {
          const trace = { events: [] as string[] };
          let clockRef: Clock | undefined;
          const classes = defineComponents(list, trace, () => clockRef!);
          const hang = () => new Promise<void>(() => undefined);
          const extensions: AppExtension[] =
            extensionKind === 'none'
              ? []
              : [
                  {
                    name: 'ext',
                    start: extensionKind === 'start-hangs' ? hang : undefined,
                    stop: extensionKind === 'stop-hangs' ? hang : undefined,
                  },
                ];
          const { app, clock } = await appOf(classes as never, { shutdownTimeout: budgetSeconds * 1000, extensions });
          clockRef = clock;
          const started = app.start().then(
            () => 'started',
            () => 'rejected',
          );
          await clock.advance(stopAfterHalfSeconds * 500);

          const calledAt = clock.now();
          let settledAt: number | undefined;
          await settleWith(
            clock,
            app.stop().then(() => (settledAt = clock.now())),
            '250ms',
            400,
          );
          const startOutcome = await Promise.race([started, clock.advance('1s').then(() => 'pending')]);

          expect(settledAt).toBeDefined();
          expect(settledAt! - calledAt).toBeLessThanOrEqual(budgetSeconds * 1000);
          expect(startOutcome).not.toBe('pending');
        },
      ),
      { numRuns: 100 },
    );
  });
});
