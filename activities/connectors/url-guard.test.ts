import { describe, expect, it } from 'vitest';
import { assertReachableUrl, isPrivateAddress } from './url-guard.ts';

describe('connector URL guard', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])(
    '%s is private',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(['8.8.8.8', '172.32.0.1', '200.45.1.1', '2800:3f0:4002::1'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));

  it('denies private hosts and plain HTTP when private URLs are denied, allows them otherwise', async () => {
    await expect(assertReachableUrl(new URL('http://127.0.0.1:9/x'), false)).rejects.toThrow(/not allowed/);
    await expect(assertReachableUrl(new URL('https://10.0.0.5/x'), false)).rejects.toThrow(/not allowed/);
    await expect(assertReachableUrl(new URL('https://[::1]/x'), false)).rejects.toThrow(/not allowed/);
    await expect(assertReachableUrl(new URL('http://127.0.0.1:9/x'), true)).resolves.toBeUndefined();
  });
});
