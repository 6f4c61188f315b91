import { Component, Cron, Every, type ScheduleRunContext, type ScheduleRunOutcome } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';
import { typeOf } from '../support/type-equality.js';

// What the schedule decorators accept, pinned: each `@ts-expect-error` line must be an error (tsc --noEmit, part of
// `npm test`, fails on one that compiles).

@Component()
class Jobs {
  @Every('1h') withoutContext(): void {}
  @Every('1h') async withContext({ signal }: ScheduleRunContext): Promise<void> {
    await Promise.resolve(signal.aborted);
  }
  @Cron('0 3 * * *') returnsAValue(): number {
    return 1;
  }
}

class Misuse {
  // @ts-expect-error a scheduled method gets a run context, not a string
  @Every('1h') wantsAString(_name: string): void {}
  // @ts-expect-error the options are checked
  @Cron('0 3 * * *', { timezone: 'UTC' }) misspeltOption(): void {}
  // @ts-expect-error jitter and immediate are @Every's options, not @Cron's
  @Cron('0 3 * * *', { immediate: true }) cronImmediate(): void {}
}

describe('the types of the schedule decorators', () => {
  it('accept methods that take nothing or the run context, and type trigger() as a run outcome', async () => {
    const { app } = await appOf([Jobs]);
    await app.start();

    const outcome = typeOf(await app.schedules.trigger('Jobs.withContext')).is<ScheduleRunOutcome>();

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(Misuse).toBeDefined();
  });
});
