import { messageOf } from '../../src/errors/index.js';
import * as root from '../../src/index.js';

describe('messageOf', () => {
  it("quotes an Error's message without its name or stack", () => {
    expect(messageOf(new TypeError('port is not a number'))).toBe('port is not a number');
  });

  it('converts anything else thrown with String', () => {
    expect(messageOf('disk full')).toBe('disk full');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });

  it('is not part of the public API', () => {
    expect(Object.keys(root)).not.toContain('messageOf');
  });
});
