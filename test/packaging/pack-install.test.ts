import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { request } from 'undici';
import { startLoopbackRegistry } from '../support/loopback-registry.js';
import { ROOT } from '../support/server-process.js';

/**
 * `hookrelay` and `@hookrelay/sdk` installed the way docs/install.md says, outside the repository:
 * `npm pack` makes the tarballs, `npm install` puts them in an empty directory (dependencies from
 * a registry on loopback that serves this project's locked packages), and there the CLI serves on
 * SQLite and delivers a webhook that the installed SDK verifies (issue 20).
 */

/** The environment of an outside user: none of npm's per-script config, no HOOKRELAY_* settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|HOOKRELAY_)/i.test(k)));
  return { ...env, ...extra };
}

/** Asynchronous: the registry answering npm lives in this process. */
function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`npm ${args.join(' ')} failed (${err.message}):\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test(
  'npm pack tarballs install in an empty directory; the CLI serves there and the SDK verifies its delivery',
  { timeout: 240_000 },
  async () => {
    for (const built of ['dist/cli/main.js', 'dist/ui/index.html', 'packages/sdk/dist/index.js']) {
      assert.ok(existsSync(join(ROOT, built)), `${built} is missing: npm install builds it (npm run build)`);
    }
    const work = mkdtempSync(join(tmpdir(), 'hr-pack-'));
    const registry = await startLoopbackRegistry(ROOT);
    let receiverClose = async () => {};
    let serve: ReturnType<typeof spawn> | null = null;
    try {
      const packs = join(work, 'packs');
      mkdirSync(packs);
      await npm(['pack', '--ignore-scripts', '--pack-destination', packs], ROOT, cleanEnv());
      await npm(['pack', '--ignore-scripts', '--pack-destination', packs], join(ROOT, 'packages/sdk'), cleanEnv());
      const tarballs = readdirSync(packs).sort();
      assert.deepEqual(tarballs, ['hookrelay-0.1.0.tgz', 'hookrelay-sdk-0.1.0.tgz']);
      const listing = spawnSync('tar', ['-tzf', join(packs, 'hookrelay-0.1.0.tgz')], { encoding: 'utf8' }).stdout.split(
        '\n',
      );
      assert.ok(listing.includes('package/bin/hookrelay.js') && listing.includes('package/dist/ui/index.html'));
      assert.ok(
        !listing.some((f) => f.startsWith('package/test/') || f.startsWith('package/src/')),
        'tests and sources stay out of the tarball',
      );

      // The consumer's project: empty but for a package.json that approves better-sqlite3's build.
      const app = join(work, 'consumer');
      mkdirSync(app);
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } }),
      );
      const installEnv = cleanEnv({ npm_config_better_sqlite3_binary_host: registry.binaryHost });
      await npm(
        [
          'install',
          `--registry=${registry.url}/`,
          `--cache=${join(work, 'npm-cache')}`,
          '--no-audit',
          '--no-fund',
          join(packs, 'hookrelay-0.1.0.tgz'),
          join(packs, 'hookrelay-sdk-0.1.0.tgz'),
        ],
        app,
        installEnv,
      );
      assert.ok(
        registry.requests.some((p) => p.startsWith('/prebuilds/')),
        'better-sqlite3 fetched its binary from the mirror',
      );
      assert.ok(existsSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')));

      // `npx --no-install hookrelay` runs the installed CLI and never looks the name up in a registry.
      const help = await new Promise<string>((resolve, reject) =>
        execFile(
          'npx',
          ['--no-install', 'hookrelay', '--help'],
          { cwd: app, env: cleanEnv({ npm_config_registry: `${registry.url}/`, npm_config_offline: 'true' }) },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      );
      assert.match(help, /Usage: hookrelay/);

      // A receiver on loopback that keeps the one delivery.
      let delivered: { body: string; headers: Record<string, string> } | null = null;
      const receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString();
        });
        req.on('end', () => {
          delivered ??= {
            body,
            headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          };
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverClose = () => new Promise<void>((resolve) => receiver.close(() => resolve()));
      const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

      serve = spawn(
        join(app, 'node_modules/.bin/hookrelay'),
        ['serve', '--port', '0', '--data-dir', join(app, 'data')],
        {
          cwd: app,
          env: cleanEnv({ HOOKRELAY_ALLOW_NETWORKS: '127.0.0.1/32', HOOKRELAY_LOG_LEVEL: 'silent' }),
        },
      );
      let out = '';
      serve.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
      });
      serve.stderr!.on('data', (c: Buffer) => {
        out += c.toString();
      });
      const deadline = Date.now() + 30_000;
      let m: RegExpExecArray | null = null;
      while (!(m = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*?\n\s+(hr_admin_\S+)/.exec(out))) {
        assert.ok(Date.now() < deadline && serve.exitCode === null, `serve did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const [, url, token] = m;
      const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
        const res = await request(url + path, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
      };
      const created = await call('POST', '/api/v1/app', { name: 'Installed', uid: 'installed' });
      assert.equal(created.status, 201);
      const endpoint = await call('POST', '/api/v1/app/installed/endpoint', { url: receiverUrl });
      assert.equal(endpoint.status, 201);
      const secret = (await call('GET', `/api/v1/app/installed/endpoint/${endpoint.json.id}/secret`)).json
        .key as string;
      const sent = await call('POST', '/api/v1/app/installed/msg', {
        eventType: 'user.registered',
        payload: { userId: 'u_1' },
      });
      assert.equal(sent.status, 202);
      const until = Date.now() + 20_000;
      while (!delivered) {
        assert.ok(Date.now() < until, 'the installed server delivered the message');
        await new Promise((r) => setTimeout(r, 50));
      }

      // The installed SDK, imported by its package name from the consumer's directory, verifies it.
      const got = delivered as { body: string; headers: Record<string, string> };
      writeFileSync(join(app, 'delivery.json'), JSON.stringify({ ...got, secret }));
      writeFileSync(
        join(app, 'verify.mjs'),
        [
          "import { readFileSync } from 'node:fs';",
          "import { verifyWebhook } from '@hookrelay/sdk';",
          "const { body, headers, secret } = JSON.parse(readFileSync('delivery.json', 'utf8'));",
          'process.stdout.write(JSON.stringify(verifyWebhook(body, headers, secret)));',
        ].join('\n'),
      );
      const verified = spawnSync(process.execPath, ['verify.mjs'], { cwd: app, env: cleanEnv(), encoding: 'utf8' });
      assert.equal(verified.status, 0, verified.stderr);
      assert.deepEqual(JSON.parse(verified.stdout), { userId: 'u_1' });
      assert.equal(got.headers['webhook-id'], sent.json.id);
    } finally {
      if (serve && serve.exitCode === null) {
        const exited = new Promise((r) => serve!.once('exit', r));
        serve.kill('SIGTERM');
        await exited;
      }
      await receiverClose();
      await registry.close();
      rmSync(work, { recursive: true, force: true });
    }
  },
);
