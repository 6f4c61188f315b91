import { ConfigurationError as CoreConfigurationError } from '../../src/core/index.js';
import { ConfigurationError as ErrorsConfigurationError } from '../../src/errors/index.js';
import {
  ConfigurationError,
  HealthCheckError,
  InvalidDurationError,
  isOrdoErrorCode,
  OrdoError,
  RequestScopeError,
  TaskCycleError,
  TaskOptionError,
  type OrdoErrorCode,
} from '../../src/index.js';

/** An error as another installed copy of Ordo makes it: its own classes, the same registered brand. */
function errorFromAnotherCopy(code: string): Error {
  class OrdoError extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
      Object.defineProperty(this, Symbol.for('ordo.error'), { value: true });
    }
  }
  return new OrdoError(code, 'from the other copy');
}

describe('OrdoError.is', () => {
  it('is true for an error of any Ordo class', () => {
    const errors = [
      new OrdoError('ORDO_STOPPED', 'stopped'),
      new ConfigurationError('ORDO_MODULE_CYCLE', 'cycle'),
      new TaskOptionError('bad option'),
      new InvalidDurationError('1hr', 'no such unit'),
    ];

    expect(errors.map((error) => OrdoError.is(error))).toEqual([true, true, true, true]);
  });

  it('is true for an error made by another copy of Ordo, where instanceof is false', () => {
    const foreign = errorFromAnotherCopy('ORDO_TASK_CYCLE');

    expect({ is: OrdoError.is(foreign), instanceOf: foreign instanceof OrdoError }).toEqual({
      is: true,
      instanceOf: false,
    });
  });

  it('is false for a plain Error, even one with an Ordo code', () => {
    const lookalike = Object.assign(new Error('not ours'), { code: 'ORDO_TASK_CYCLE' });

    expect(OrdoError.is(lookalike)).toBe(false);
  });

  it.each([null, undefined, 'ORDO_STOPPED', 42, { code: 'ORDO_STOPPED' }])('is false for %p', (value) => {
    expect(OrdoError.is(value)).toBe(false);
  });

  it('with a code, is true only for an Ordo error with that code', () => {
    const cycle = new TaskCycleError(['a', 'b', 'a']);

    expect([
      OrdoError.is(cycle, 'ORDO_TASK_CYCLE'),
      OrdoError.is(cycle, 'ORDO_TASK_KEY'),
      OrdoError.is(errorFromAnotherCopy('ORDO_TASK_CYCLE'), 'ORDO_TASK_CYCLE'),
      OrdoError.is(Object.assign(new Error('x'), { code: 'ORDO_TASK_CYCLE' }), 'ORDO_TASK_CYCLE'),
    ]).toEqual([true, false, true, false]);
  });

  it('narrows an unknown to an Ordo error with a code from the catalogue', () => {
    const caught: unknown = new RequestScopeError('outside a scope');

    const code: OrdoErrorCode | undefined = OrdoError.is(caught) ? caught.code : undefined;

    expect(code).toBe('ORDO_NO_REQUEST_SCOPE');
  });

  it("keeps the brand out of an error's enumerable properties and its JSON", () => {
    const error = new ConfigurationError('ORDO_DUPLICATE_HOOK', 'two @OnStart methods');

    expect({
      symbols: Object.getOwnPropertySymbols(error).filter((s) => Object.prototype.propertyIsEnumerable.call(error, s)),
      json: JSON.stringify(error),
    }).toEqual({ symbols: [], json: '{"code":"ORDO_DUPLICATE_HOOK","name":"ConfigurationError"}' });
  });
});

describe('the code of an Ordo error', () => {
  it('is typed as a code of the catalogue, and as its own code on a class that has one', () => {
    // @ts-expect-error a code outside the catalogue does not compile
    const unknownCode = new OrdoError('ORDO_NO_SUCH_CODE', 'x');
    // @ts-expect-error a HealthCheckError has only the two health codes
    const wrongHealthCode = new HealthCheckError('ORDO_TASK_CYCLE', 'db', 'x');
    // @ts-expect-error a TaskCycleError's code is ORDO_TASK_CYCLE and nothing else
    const notACycle: 'ORDO_TASK_KEY' = new TaskCycleError(['a', 'a']).code;

    expect([unknownCode.code, wrongHealthCode.code, notACycle]).toEqual([
      'ORDO_NO_SUCH_CODE',
      'ORDO_TASK_CYCLE',
      'ORDO_TASK_CYCLE',
    ]);
  });

  it('is recognised by isOrdoErrorCode only when it is in the catalogue', () => {
    expect(['ORDO_TASK_CYCLE', 'ORDO_NO_SUCH_CODE', 'toString', 42].map(isOrdoErrorCode)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('ConfigurationError', () => {
  it('is one class, whether imported from the errors or the core layer', () => {
    expect(CoreConfigurationError).toBe(ErrorsConfigurationError);
    expect(new CoreConfigurationError('ORDO_INVALID_OPTION', 'x')).toBeInstanceOf(OrdoError);
  });
});
