/**
 * The SSRF probe table (ssrf.test.ts). Every entry is refused with an empty allow-list; the
 * controls are public addresses that must pass the pure decision (no socket is ever opened to
 * them: they are judged as strings only).
 */

/** IP addresses (as a resolver would return them) that must be refused. */
export const BLOCKED_ADDRESSES: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback v6'],
  ['[::1]', 'bracketed loopback v6'],
  ['10.0.0.1', 'RFC 1918'],
  ['172.16.0.1', 'RFC 1918'],
  ['172.31.255.255', 'RFC 1918'],
  ['192.168.1.1', 'RFC 1918'],
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.0.1', 'link-local'],
  ['fe80::1', 'link-local v6'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.255', 'CGNAT'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified v6'],
  ['255.255.255.255', 'broadcast'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast v6'],
  ['240.0.0.1', 'reserved'],
  ['198.18.0.1', 'benchmarking'],
  ['fc00::1', 'ULA'],
  ['fd12:3456::1', 'ULA'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback (hex)'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
  ['64:ff9b::7f00:1', 'NAT64 of loopback'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2002:a9fe:a9fe::', '6to4 of metadata'],
  ['2001:0::1', 'Teredo'],
  ['2001:db8::1', 'documentation'],
];

/** Public addresses: the pure decision allows them (string checks only, never connected to). */
export const PUBLIC_CONTROLS = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];

/** URLs whose literal host is refused (endpoint create: 422), including the odd IPv4 spellings. */
export const BLOCKED_URLS: Array<[string, string]> = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://[::1]/', 'loopback v6'],
  ['http://127.1:80/', 'short form 127.1'],
  ['http://2130706433/', 'decimal 127.0.0.1'],
  ['http://0177.0.0.1/', 'octal 127.0.0.1'],
  ['http://0x7f.0.0.1/', 'hex 127.0.0.1'],
  ['http://0x7f000001/', 'hex dword'],
  ['http://017700000001/', 'octal dword'],
  ['http://0/', 'zero'],
  ['http://0.0.0.0:8080/', 'unspecified'],
  ['http://[::]/', 'unspecified v6'],
  ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
  ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'IPv4-mapped metadata'],
  ['http://169.254.169.254/latest/meta-data/', 'metadata'],
  ['http://0xa9fea9fe/', 'hex metadata'],
  ['http://2852039166/', 'decimal metadata'],
  ['http://10.1.2.3/', 'RFC 1918'],
  ['http://192.168.0.1:8080/hook', 'RFC 1918'],
  ['http://172.20.0.1/', 'RFC 1918'],
  ['http://100.64.0.1/', 'CGNAT'],
  ['https://user:pass@127.0.0.1/', 'loopback with userinfo'],
  ['http://[fe80::1%25eth0]/', 'link-local with zone'],
  ['file:///etc/passwd', 'file scheme'],
  ['gopher://127.0.0.1:70/', 'gopher scheme'],
  ['ftp://example.com/', 'ftp scheme'],
  ['javascript:alert(1)', 'javascript scheme'],
  ['http://', 'no host'],
  ['not a url', 'not a URL'],
];
