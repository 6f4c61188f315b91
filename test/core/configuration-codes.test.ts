import { Component, ConfigurationError, Module, Ordo } from '../../src/index.js';
import { appOf, testContainer } from '../support/app-fixtures.js';

describe('configuration errors by code', () => {
  it('rejects modules that import each other with ORDO_MODULE_CYCLE', async () => {
    @Module({ imports: [] })
    class Billing {}
    @Module({ imports: [Billing] })
    class Accounts {}
    Module({ imports: [Accounts] })(Billing);

    const error = await Ordo.create(Billing).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'ORDO_MODULE_CYCLE',
      message: expect.stringContaining('Billing -> Accounts -> Billing'),
    });
  });

  it('rejects two components with one name with ORDO_DUPLICATE_COMPONENT_NAME', async () => {
    @Component({ name: 'store' })
    class DiskStore {}
    @Component({ name: 'store' })
    class CloudStore {}

    const error = await appOf([DiskStore, CloudStore]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'ORDO_DUPLICATE_COMPONENT_NAME', message: expect.stringContaining('"store"') });
  });

  it('rejects a component whose constructor parameters inversify cannot read with ORDO_INVALID_INJECTION, naming it', async () => {
    // Decorated by a call rather than with @, so no parameter types are recorded: what a build without
    // emitDecoratorMetadata (esbuild, tsx) makes of a constructor that relies on them.
    class SmtpMailer {
      constructor(readonly host: string) {}
    }
    Component()(SmtpMailer);
    const container = testContainer();
    container.bind(SmtpMailer).toConstantValue(new SmtpMailer('smtp.example.com'));

    const error = await Ordo.create(container).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'ORDO_INVALID_INJECTION',
      message: expect.stringMatching(/^SmtpMailer cannot be injected: /),
    });
    expect((error as ConfigurationError).cause).toBeInstanceOf(Error);
  });

  it('rejects a module listing such a component with ORDO_INVALID_INJECTION, naming it', async () => {
    class SmtpMailer {
      constructor(readonly host: string) {}
    }
    Component()(SmtpMailer);
    @Module({ components: [SmtpMailer] })
    class MailModule {}

    const error = await Ordo.create(MailModule).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'ORDO_INVALID_INJECTION',
      message: expect.stringMatching(/^SmtpMailer cannot be injected: /),
    });
  });
});
