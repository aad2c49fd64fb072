import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, fromBase64, fromHex, hmacSha256, sha256, toBase64, toHex, useDigestBackend, utf8 } from './digest.ts';

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('FIPS 180 vector %#', (input, hex) => {
    expect(toHex(sha256(input))).toBe(hex);
  });
  it('agrees with node:crypto at every length around the block boundaries', () => {
    for (let n = 0; n < 300; n++) {
      const data = randomBytes(n);
      expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});

describe('hmacSha256', () => {
  // RFC 4231 test cases 1, 2, 6 (key longer than a block) and 7.
  it.each([
    [fromHex('0b'.repeat(20)), utf8('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    [utf8('Jefe'), utf8('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    [fromHex('aa'.repeat(131)), utf8('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    [
      fromHex('aa'.repeat(131)),
      utf8('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('RFC 4231 vector %#', (key, msg, hex) => {
    expect(toHex(hmacSha256(key as Uint8Array, msg))).toBe(hex);
  });
  it('agrees with node:crypto for random keys and messages', () => {
    for (let i = 0; i < 50; i++) {
      const key = randomBytes(i * 3);
      const msg = randomBytes(i * 17);
      expect(toHex(hmacSha256(key, msg))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
  });
});

describe('encodings', () => {
  it('round-trips base64 (standard and URL-safe) like Buffer', () => {
    for (let n = 0; n < 40; n++) {
      const data = randomBytes(n);
      expect(toBase64(data)).toBe(data.toString('base64'));
      expect(toBase64(data, { url: true })).toBe(data.toString('base64url'));
      expect(fromBase64(data.toString('base64'))).toEqual(new Uint8Array(data));
      expect(fromBase64(data.toString('base64url'))).toEqual(new Uint8Array(data));
    }
  });
  it.each([['not base64!'], ['abcde']])('refuses %s as base64', (t) => {
    expect(fromBase64(t)).toBeNull();
  });
  it.each([['abc'], ['zz'], ['0g']])('refuses %s as hex', (t) => {
    expect(fromHex(t)).toBeNull();
  });
  it('compares equal bytes only', () => {
    expect(constantTimeEqual(utf8('abc'), utf8('abc'))).toBe(true);
    expect(constantTimeEqual(utf8('abc'), utf8('abd'))).toBe(false);
    expect(constantTimeEqual(utf8('abc'), utf8('ab'))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(), new Uint8Array())).toBe(false);
  });
});

describe('a host digest backend', () => {
  it('is used once installed, with the same results, and the portable code again once removed', () => {
    const calls: string[] = [];
    useDigestBackend({
      sha256: (m) => (calls.push('sha256'), createHash('sha256').update(m).digest()),
      hmacSha256: (k, m) => (calls.push('hmac'), createHmac('sha256', k).update(m).digest()),
    });
    try {
      expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(toHex(hmacSha256('Jefe', 'what do ya want for nothing?'))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
      expect(calls).toEqual(['sha256', 'hmac']);
    } finally {
      useDigestBackend(undefined);
    }
    expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(calls).toHaveLength(2);
  });
});
