import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * An npm registry on 127.0.0.1 serving exactly the packages of a project's package-lock.json,
 * packed from its installed node_modules, so `npm install` of our tarballs in an empty directory
 * runs the way a user's does without any address outside loopback. It also serves
 * better-sqlite3's prebuilt binary (the one `npm install` built in the project) as a
 * prebuild-install mirror (`npm_config_better_sqlite3_binary_host`), the way an offline company
 * mirror does, instead of downloading it from GitHub.
 */

interface LockEntry {
  name?: string;
  version: string;
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  license?: string;
  hasInstallScript?: boolean;
}

export interface LoopbackRegistry {
  url: string;
  /** The prebuild mirror for better-sqlite3 (set as npm_config_better_sqlite3_binary_host). */
  binaryHost: string;
  /** Every path asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startLoopbackRegistry(projectRoot: string): Promise<LoopbackRegistry> {
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  // name → version → the installed directory and its lock entry
  const packages = new Map<string, Map<string, { dir: string; entry: LockEntry }>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link || !key.includes('node_modules/')) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name)!.set(entry.version, { dir: join(projectRoot, key), entry });
  }
  const tarballs = new Map<string, Promise<Buffer>>();
  const requests: string[] = [];
  let base = '';

  const packument = (name: string) => {
    const versions = packages.get(name);
    if (!versions) return null;
    const out: Record<string, unknown> = {};
    for (const [version, { entry }] of versions) {
      const { dev: _dev, link: _link, name: _name, ...manifest } = entry;
      out[version] = {
        ...manifest,
        name,
        version,
        dist: { tarball: `${base}/-/${encodeURIComponent(name)}/${version}.tgz` },
      };
    }
    const latest = [...versions.keys()].sort(compareVersions).at(-1)!;
    return { name, 'dist-tags': { latest }, versions: out };
  };

  const tarball = (name: string, version: string): Promise<Buffer> | null => {
    const found = packages.get(name)?.get(version);
    if (!found) return null;
    const key = `${name}@${version}`;
    if (!tarballs.has(key)) {
      // Nested node_modules are packages of their own; better-sqlite3's build/ comes from the mirror.
      const excludes = ['--exclude=./node_modules', ...(name === 'better-sqlite3' ? ['--exclude=./build'] : [])];
      tarballs.set(
        key,
        run('tar', ['-czf', '-', ...excludes, '--transform=s,^\\.,package,', '-C', found.dir, '.'], {
          encoding: 'buffer',
          maxBuffer: 256 * 1024 * 1024,
        }).then((r) => r.stdout as Buffer),
      );
    }
    return tarballs.get(key)!;
  };

  const prebuild = () =>
    run(
      'tar',
      ['-czf', '-', '-C', join(projectRoot, 'node_modules/better-sqlite3'), 'build/Release/better_sqlite3.node'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    ).then((r) => r.stdout as Buffer);

  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    try {
      const tgz = /^\/-\/(.+)\/([^/]+)\.tgz$/.exec(path);
      if (tgz) {
        const body = tarball(tgz[1], tgz[2]);
        if (!body) return res.writeHead(404).end();
        return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(await body);
      }
      if (/^\/prebuilds\/.*better-sqlite3-v[^/]+\.tar\.gz$/.test(path)) {
        return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(await prebuild());
      }
      const doc = packument(path.slice(1));
      if (!doc) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    binaryHost: `${base}/prebuilds`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++)
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
