import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrlLiteral, classifyAddress } from './ssrf-guard.js';

// Pure decisions only: no address outside 127.0.0.0/8 is ever connected to in tests.

const BLOCKED: Array<[string, RegExp]> = [
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['::1', /loopback/],
  ['0.0.0.0', /unspecified/],
  ['0.1.2.3', /unspecified/],
  ['::', /unspecified/],
  ['10.0.0.1', /RFC 1918/],
  ['172.16.0.1', /RFC 1918/],
  ['172.31.255.255', /RFC 1918/],
  ['192.168.1.1', /RFC 1918/],
  ['169.254.169.254', /metadata/],
  ['169.254.1.1', /link-local/],
  ['fe80::1', /link-local/],
  ['febf::1', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['100.127.255.255', /carrier-grade NAT/],
  ['224.0.0.1', /multicast/],
  ['239.255.255.250', /multicast/],
  ['ff02::1', /multicast/],
  ['255.255.255.255', /broadcast/],
  ['240.0.0.1', /reserved/],
  ['fc00::1', /unique local/],
  ['fd12:3456::1', /unique local/],
  ['::ffff:127.0.0.1', /IPv4-mapped .*loopback/],
  ['::ffff:7f00:1', /IPv4-mapped .*loopback/],
  ['::ffff:169.254.169.254', /IPv4-mapped .*metadata/],
  ['::ffff:10.1.2.3', /IPv4-mapped .*RFC 1918/],
  ['64:ff9b::7f00:1', /NAT64 .*loopback/],
  ['64:ff9b::a9fe:a9fe', /NAT64 .*metadata/],
  ['2002:7f00:1::1', /6to4 .*loopback/],
  ['2002:c0a8:101::', /6to4 .*RFC 1918/],
  ['2001::1', /Teredo/],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
  ['192.0.2.10', /documentation/],
  ['198.51.100.7', /documentation/],
  ['203.0.113.200', /documentation/],
  ['2001:db8::1', /documentation/],
  ['198.18.0.1', /benchmarking/],
  ['198.19.255.255', /benchmarking/],
  ['2001:2::1', /benchmarking/],
  ['192.0.0.8', /IETF/],
  ['::7f00:1', /IPv4-compatible/],
  ['[::1]', /loopback/],
  ['not-an-ip', /not an IP address/],
  ['0x7f.1', /not an IP address/],
];

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '172.32.0.1', // just outside 172.16/12
  '100.128.0.1', // just outside 100.64/10
  '169.255.0.1',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8', // mapped, judged by the public IPv4 address
  '64:ff9b::808:808', // NAT64 to 8.8.8.8
  '2002:808:808::1', // 6to4 from 8.8.8.8
];

describe('classifyAddress', () => {
  for (const [ip, reason] of BLOCKED) {
    it(`refuses ${ip}`, () => {
      const d = classifyAddress(ip, []);
      assert.equal(d.allowed, false);
      assert.match((d as { reason: string }).reason, reason);
    });
  }
  for (const ip of ALLOWED) {
    it(`allows public ${ip}`, () => {
      assert.deepEqual(classifyAddress(ip, []), { allowed: true });
    });
  }

  it('lets the allow-list override, exactly as wide as its CIDRs', () => {
    assert.deepEqual(classifyAddress('127.0.0.1', ['127.0.0.1/32']), { allowed: true });
    assert.equal(classifyAddress('127.0.0.2', ['127.0.0.1/32']).allowed, false);
    assert.deepEqual(classifyAddress('127.9.9.9', ['127.0.0.0/8']), { allowed: true });
    assert.deepEqual(classifyAddress('10.1.2.3', ['10.0.0.0/8']), { allowed: true });
    assert.equal(classifyAddress('::1', ['127.0.0.0/8']).allowed, false);
    assert.deepEqual(classifyAddress('::1', ['::1/128']), { allowed: true });
    assert.deepEqual(classifyAddress('fd00::5', ['fd00::/8']), { allowed: true });
  });

  it('applies the allow-list to an embedded IPv4 address, and IPv4-mapped CIDRs to IPv4', () => {
    assert.deepEqual(classifyAddress('::ffff:127.0.0.1', ['127.0.0.0/8']), { allowed: true });
    assert.deepEqual(classifyAddress('127.0.0.1', ['::ffff:127.0.0.0/104']), { allowed: true });
    assert.equal(classifyAddress('::ffff:127.0.0.2', ['127.0.0.1/32']).allowed, false);
  });

  it('ignores an unparseable allow-list entry instead of opening everything', () => {
    assert.equal(classifyAddress('127.0.0.1', ['garbage', '']).allowed, false);
  });
});

describe('checkUrlLiteral', () => {
  it('accepts http and https URLs with hostnames (judged at connect time)', () => {
    assert.deepEqual(checkUrlLiteral('https://example.com/hook', []), { ok: true });
    assert.deepEqual(checkUrlLiteral('https://8.8.8.8/x', []), { ok: true });
    assert.deepEqual(checkUrlLiteral('https://[2606:4700:4700::1111]/x', []), { ok: true });
  });

  it('refuses other schemes and invalid URLs', () => {
    for (const url of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'gopher://x/',
      'javascript:alert(1)',
      'data:text/plain,hi',
    ]) {
      const r = checkUrlLiteral(url, []);
      assert.equal(r.ok, false, url);
      assert.match((r as { reason: string }).reason, /only http and https/);
    }
    assert.deepEqual(checkUrlLiteral('not a url', []), { ok: false, reason: 'not a valid URL' });
  });

  it('refuses every spelling of a blocked IP literal that the URL parser normalises', () => {
    const spellings = [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      'http://127.1/',
      'http://0x7f000001/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
      'http://0/',
      'http://169.254.169.254/latest/meta-data',
      'http://0xa9fea9fe/',
      'http://[64:ff9b::127.0.0.1]/',
      'https://10.0.0.1:8443/',
      'http://user:pass@192.168.0.1/',
    ];
    for (const url of spellings) {
      const r = checkUrlLiteral(url, []);
      assert.equal(r.ok, false, url);
    }
  });

  it('lets allow-listed literals through', () => {
    assert.deepEqual(checkUrlLiteral('http://127.0.0.1:8080/', ['127.0.0.0/8']), { ok: true });
    assert.deepEqual(checkUrlLiteral('http://2130706433/', ['127.0.0.1/32']), { ok: true });
    assert.equal(checkUrlLiteral('http://127.0.0.2/', ['127.0.0.1/32']).ok, false);
  });
});

describe('checkUrlLiteral: localhost', () => {
  it('is loopback by definition (RFC 6761), judged when the URL is saved, with the allow-list entry that admits it', () => {
    const hint = ' (if it is yours, allow it: HOOKRELAY_ALLOW_NETWORKS=127.0.0.1/32)';
    assert.deepEqual(checkUrlLiteral('http://localhost:3000/hook', []), {
      ok: false,
      reason: `localhost is loopback${hint}`,
    });
    assert.deepEqual(checkUrlLiteral('http://api.localhost/hook', []), {
      ok: false,
      reason: `api.localhost is loopback${hint}`,
    });
    assert.deepEqual(checkUrlLiteral('http://localhost:3000/hook', ['127.0.0.1/32']), { ok: true });
    assert.deepEqual(
      checkUrlLiteral('http://notlocalhost.example/hook', []),
      { ok: true },
      'other names are judged when resolved',
    );
  });
});
