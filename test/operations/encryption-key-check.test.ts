import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { ENCRYPTION_KEY_CHECK_SETTING } from '../../src/server/encryption-key-check.js';
import { rotateEncryptionKey } from '../../src/server/encryption-key-rotation.js';
import { startServer } from '../../src/server/hookrelay-server.js';
import { openStore } from '../../src/store/open-store.js';
import { ApiClient } from '../support/api-client.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ADMIN_TOKEN, spawnServer } from '../support/server-process.js';
import { runCli } from '../cli/cli-process.js';

/**
 * A process whose encryption key cannot open the database's endpoint secrets refuses to start,
 * naming HOOKRELAY_ENCRYPTION_KEY, before its worker claims anything (issue 20).
 */

const TOKEN = 'hr_admin_keycheck_0123456789abcdef';
const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const BARE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('HOOKRELAY_')),
);

function sqliteConfig(dataDir: string, encryptionKey: string | null): Config {
  return loadConfig({}, { dataDir, encryptionKey, port: 0, host: '127.0.0.1', adminToken: TOKEN, logLevel: 'silent' });
}

/** Creates `n` endpoints; returns each one's secret path and its secret as the API shows it. */
async function withEndpoint(config: Config, n = 1): Promise<Map<string, string>> {
  const server = await startServer(config);
  const secrets = new Map<string, string>();
  try {
    const api = new ApiClient(server.url!, TOKEN);
    const app = await api.expect(201, 'POST', '/api/v1/app', { name: 'keys' });
    for (let i = 0; i < n; i++) {
      const ep = await api.expect(201, 'POST', `/api/v1/app/${app.id}/endpoint`, {
        url: `https://hooks.example.com/in/${i}`,
      });
      const path = `/api/v1/app/${app.id}/endpoint/${ep.id}/secret`;
      secrets.set(path, (await api.expect(200, 'GET', path)).key);
    }
  } finally {
    await server.close();
  }
  return secrets;
}

/** The secrets as a server started with `config` shows them. */
async function secretsSeenBy(config: Config, paths: Iterable<string>): Promise<Map<string, string>> {
  const server = await startServer(config);
  try {
    const api = new ApiClient(server.url!, TOKEN);
    const out = new Map<string, string>();
    for (const path of paths) out.set(path, (await api.expect(200, 'GET', path)).key);
    return out;
  } finally {
    await server.close();
  }
}

describe('encryption key check (SQLite)', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'hr-keycheck-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a generated key file replaced by another key stops the start with a ConfigError naming the file and the variable', async () => {
    const dataDir = join(root, 'file');
    await withEndpoint(sqliteConfig(dataDir, null));
    const original = readFileSync(join(dataDir, 'encryption.key'), 'utf8');
    writeFileSync(join(dataDir, 'encryption.key'), KEY_B + '\n');
    await assert.rejects(startServer(sqliteConfig(dataDir, null)), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'config_invalid');
      assert.match(err.message, /encryption\.key/);
      assert.match(err.message, /HOOKRELAY_ENCRYPTION_KEY/);
      return true;
    });
    writeFileSync(join(dataDir, 'encryption.key'), original);
    await (await startServer(sqliteConfig(dataDir, null))).close();
  });

  it('a database from before the check value is verified against a stored endpoint secret, then gets one', async () => {
    const dataDir = join(root, 'legacy');
    await withEndpoint(sqliteConfig(dataDir, KEY_A));
    const store = await openStore(sqliteConfig(dataDir, KEY_A), new SecretBox(Buffer.from(KEY_A, 'base64')));
    await store.putSetting(ENCRYPTION_KEY_CHECK_SETTING, null);
    await store.close();

    await assert.rejects(
      startServer(sqliteConfig(dataDir, KEY_B)),
      /HOOKRELAY_ENCRYPTION_KEY does not open the endpoint secrets/,
    );
    await (await startServer(sqliteConfig(dataDir, KEY_A))).close();
    const reopened = await openStore(sqliteConfig(dataDir, KEY_A), new SecretBox(Buffer.from(KEY_A, 'base64')));
    try {
      assert.ok(await reopened.getSetting(ENCRYPTION_KEY_CHECK_SETTING), 'the right key writes the check value');
    } finally {
      await reopened.close();
    }
  });
});

describe('encryption key rotation', async () => {
  const available = await postgresAvailable();
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'hr-keyrotate-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it(
    '`hookrelay rotate-encryption-key` on a key file: secrets read the same after, the file holds the new key, the old key is refused',
    { timeout: 60_000 },
    async () => {
      const dataDir = join(root, 'file');
      const before = await withEndpoint(sqliteConfig(dataDir, null), 2);
      const oldKey = readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim();
      const cli = runCli(['rotate-encryption-key', '--data-dir', dataDir], BARE_ENV);
      assert.equal(await cli.exited, 0, cli.stderr());
      assert.match(
        cli.stdout(),
        /re-encrypted the secrets of 2 endpoints under the new key\nthe new key is in .*encryption\.key/,
      );
      const newKey = readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim();
      assert.notEqual(newKey, oldKey);
      assert.deepEqual(await secretsSeenBy(sqliteConfig(dataDir, null), before.keys()), before);
      await assert.rejects(startServer(sqliteConfig(dataDir, oldKey)), /does not open the endpoint secrets/);
    },
  );

  it(
    'PostgreSQL with HOOKRELAY_ENCRYPTION_KEY: rotation to a given key re-seals every endpoint in one go',
    { skip: !available && 'PostgreSQL not reachable', timeout: 60_000 },
    async () => {
      const db = await createTestDatabase('keyrotate');
      try {
        const pgConfig = (key: string) => ({ ...sqliteConfig(join(root, 'pg'), key), databaseUrl: db.url });
        const before = await withEndpoint(pgConfig(KEY_A), 3);
        const rotation = await rotateEncryptionKey(pgConfig(KEY_A), KEY_B);
        assert.deepEqual(rotation, { newKey: KEY_B, endpoints: 3, keyFile: null });
        assert.deepEqual(await secretsSeenBy(pgConfig(KEY_B), before.keys()), before);
        await assert.rejects(
          startServer(pgConfig(KEY_A)),
          /the encryption key from HOOKRELAY_ENCRYPTION_KEY does not open/,
        );
        await assert.rejects(
          rotateEncryptionKey(pgConfig(KEY_A), KEY_B),
          /does not open/,
          'rotating from the wrong key changes nothing',
        );
      } finally {
        await db.drop();
      }
    },
  );
});

describe('encryption key check (PostgreSQL)', async () => {
  const available = await postgresAvailable();
  if (!available && process.env.CI) throw new Error('PostgreSQL is required in CI (127.0.0.1:5432)');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    if (available) db = await createTestDatabase('keycheck');
  });
  after(async () => {
    await db?.drop();
  });

  it(
    '`hookrelay serve` with no key on a fresh data dir, joining a database set up with a key, exits 1 and claims nothing',
    { skip: !available && 'PostgreSQL not reachable', timeout: 90_000 },
    async () => {
      const apiProcess = await spawnServer({
        env: { HOOKRELAY_DATABASE_URL: db.url, HOOKRELAY_ROLE: 'api', HOOKRELAY_ALLOW_NETWORKS: '127.0.0.1/32' },
      });
      const dataDir = mkdtempSync(join(tmpdir(), 'hr-keycheck-cli-'));
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const api = new ApiClient(apiProcess.url!, CHILD_ADMIN_TOKEN);
        const app = await api.expect(201, 'POST', '/api/v1/app', { name: 'keys' });
        await api.expect(201, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: 'http://127.0.0.1:9/in' });
        for (let i = 0; i < 5; i++)
          await api.expect(202, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'key.check', payload: { i } });
        const pendingBefore = await client.query(
          'SELECT count(*)::int AS n FROM deliveries WHERE status = 1 AND lease_owner IS NULL',
        );
        assert.equal(pendingBefore.rows[0].n, 5, 'the API alone delivers nothing');

        const cli = runCli(['serve', '--port', '0', '--data-dir', dataDir, '--database-url', db.url], {
          ...BARE_ENV,
          HOOKRELAY_LOG_LEVEL: 'silent',
        });
        const code = await cli.exited;
        assert.equal(code, 1, `exit 1; stdout: ${cli.stdout()} stderr: ${cli.stderr()}`);
        assert.match(
          cli.stderr(),
          /the encryption key from the key file .*encryption\.key \(HOOKRELAY_ENCRYPTION_KEY is not set\) does not open/,
        );
        assert.match(cli.stderr(), /same HOOKRELAY_ENCRYPTION_KEY/);
        assert.doesNotMatch(cli.stdout(), /listening on/);

        const leased = await client.query(
          'SELECT count(*)::int AS n FROM deliveries WHERE lease_owner IS NOT NULL OR status <> 1',
        );
        assert.equal(leased.rows[0].n, 0, 'no delivery was claimed by the refused process');
        const attempts = await client.query('SELECT count(*)::int AS n FROM attempts');
        assert.equal(attempts.rows[0].n, 0);
      } finally {
        await client.end();
        await apiProcess.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
