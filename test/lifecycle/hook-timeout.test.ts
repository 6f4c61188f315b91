import { Component, HookTimeoutError, OnStart, StartupError } from '../../src/index.js';
import { appOf } from '../support/app-fixtures.js';

describe('a start hook that times out', () => {
  it('fails the start with a StartupError whose cause is a HookTimeoutError coded ORDO_HOOK_TIMEOUT', async () => {
    @Component({ startTimeout: '3s' })
    class Migrations {
      @OnStart() run() {
        return new Promise<void>(() => undefined);
      }
    }
    const { app, clock } = await appOf([Migrations]);

    const started = app.start().catch((e: unknown) => e);
    await clock.waitForTimers(1);
    await clock.advance('3s');
    const error = await started;

    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).cause).toBeInstanceOf(HookTimeoutError);
    expect((error as StartupError).cause).toMatchObject({
      code: 'ORDO_HOOK_TIMEOUT',
      component: 'Migrations',
      hook: '@OnStart',
      timeoutMs: 3000,
      method: 'Migrations.run()',
    });
  });
});
