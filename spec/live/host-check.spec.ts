import { allowedHostSet, hostAllowed, hostName } from '../../src/node/live/host-check.js';

describe('The Host check (against DNS rebinding)', () => {
  it('reads the host of a Host header: lower case, no port, no brackets, no trailing dot', () => {
    expect(hostName('LocalHost:9000')).toBe('localhost');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostName('[::1]:9464')).toBe('::1');
    expect(hostName('app.internal.')).toBe('app.internal');
    expect(hostName('')).toBeUndefined();
    expect(hostName(undefined)).toBeUndefined();
  });

  it('answers localhost and the bound address only, by default', () => {
    const allowed = allowedHostSet('127.0.0.1');
    expect([...allowed].sort()).toEqual(['127.0.0.1', 'localhost']);
    expect(hostAllowed('localhost:1234', allowed)).toBeTrue();
    expect(hostAllowed('127.0.0.1:1234', allowed)).toBeTrue();
    expect(hostAllowed('attacker.example', allowed)).toBeFalse();
    expect(hostAllowed('127.0.0.1.attacker.example', allowed)).toBeFalse();
    expect(hostAllowed(undefined, allowed)).toBeFalse();
    expect(hostAllowed('[::1]:1234', allowedHostSet('::1'))).toBeTrue();
  });

  it("bound to every interface, answers the machine's own addresses (a pod's IP)", () => {
    const allowed = allowedHostSet('0.0.0.0', [], ['10.1.2.3', 'FE80::1']);
    expect(hostAllowed('10.1.2.3:9464', allowed)).toBeTrue();
    expect(hostAllowed('[fe80::1]:9464', allowed)).toBeTrue();
    expect(hostAllowed('127.0.0.1', allowed)).toBeTrue();
    expect(hostAllowed('10.1.2.4:9464', allowed)).toBeFalse();
    expect(hostAllowed('10.1.2.3', allowedHostSet('127.0.0.1', [], ['10.1.2.3']))).toBeFalse();
  });

  it('adds allowedHosts, and refuses a bad entry naming it', () => {
    const allowed = allowedHostSet('127.0.0.1', ['App.Internal', 'fd00::5', '[fd00::6]']);
    expect(hostAllowed('app.internal:80', allowed)).toBeTrue();
    expect(hostAllowed('[fd00::5]:80', allowed)).toBeTrue();
    expect(hostAllowed('[fd00::6]', allowed)).toBeTrue();
    expect(() => allowedHostSet('127.0.0.1', [''])).toThrowError(TypeError, 'invalid allowedHosts entry: "" (expected a host name)');
    expect(() => allowedHostSet('127.0.0.1', [42 as never])).toThrowError(TypeError, /entry: 42/);
    expect(() => allowedHostSet('127.0.0.1', 'x' as never)).toThrowError(TypeError, /invalid allowedHosts: x/);
  });
});
