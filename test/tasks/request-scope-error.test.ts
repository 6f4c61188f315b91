import { Container, inject, injectable } from 'inversify';
import { Logger, Ordo, RequestScopeError, SilentLogger, TaskScope } from '../../src/index.js';

describe('TaskScope resolved outside a request scope', () => {
  it('throws a RequestScopeError coded ORDO_NO_REQUEST_SCOPE that says where to resolve it', async () => {
    @injectable()
    class ReportHandler {
      constructor(@inject(TaskScope) readonly scope: TaskScope) {}
    }
    const container = new Container();
    container.bind(ReportHandler).toSelf().inTransientScope();
    const app = await Ordo.create(container, { overrides: [[Logger, new SilentLogger()]] });

    let error: unknown;
    try {
      app.get(ReportHandler);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(RequestScopeError);
    expect(error).toMatchObject({
      code: 'ORDO_NO_REQUEST_SCOPE',
      message: expect.stringContaining('inside app.scope().run() or app.runInScope()'),
    });
  });
});
