// Keystone (v3, fernet tokens, sqlite) under uwsgi. The database, keys and admin are set up in one
// Python process (keystone-manage would start four, about 8 s); fernet keys are written from here.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";

export interface KeystoneSetup {
  port: number;
  adminPassword: string;
  /** `[token] expiration`, seconds. */
  tokenExpiration: number;
  region: string;
}

// db_sync, then WAL (sqlite's default journal gives "database is locked" under uwsgi), then the
// bootstrap: default domain, admin project and user, reader/member/admin roles, the identity
// endpoints. oslo.config is re-parsed between the two commands, which keystone-manage never does.
const INIT_SCRIPT = `
import os, sqlite3, sys
from keystone.cmd import cli
conf, db, url, region = sys.argv[1:5]
cli.main(argv=['keystone-manage', '--config-file', conf, 'db_sync'])
connection = sqlite3.connect(db)
connection.execute('PRAGMA journal_mode=WAL')
connection.close()
cli.CONF.clear()
cli.CONF(args=['--config-file', conf, 'bootstrap', '--bootstrap-region-id', region,
               '--bootstrap-public-url', url, '--bootstrap-internal-url', url,
               '--bootstrap-admin-url', url], project='keystone')
cli.CONF.command.cmd_class.main()
sys.stdout.flush()
sys.stderr.flush()
# Skips the interpreter's shutdown, where eventlet prints a harmless AttributeError.
os._exit(0)
`;

/** A fernet key as Python's `Fernet.generate_key()` writes it: 32 random bytes, URL-safe base64. */
function fernetKey(): string {
  return randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

function writeKeys(dir: string): void {
  mkdirSync(dir, { mode: 0o700 });
  // 0 is the staged key, 1 the primary one: what `keystone-manage fernet_setup` leaves.
  for (const name of ["0", "1"]) writeFileSync(join(dir, name), fernetKey(), { mode: 0o600 });
}

function writeConfig(dir: string, setup: KeystoneSetup): void {
  mkdirSync(dir);
  writeKeys(join(dir, "fernet-keys"));
  writeKeys(join(dir, "credential-keys"));
  writeFileSync(
    join(dir, "keystone.conf"),
    ini({
      DEFAULT: { use_stderr: true },
      // No fsync per commit: the database is thrown away anyway.
      database: { connection: `sqlite:///${join(dir, "keystone.db")}`, sqlite_synchronous: false },
      token: { provider: "fernet", expiration: setup.tokenExpiration },
      // bcrypt's minimum cost: every token request checks a password, and every user created hashes one.
      identity: { password_hash_rounds: 4 },
      fernet_tokens: { key_repository: join(dir, "fernet-keys") },
      // Receipts (multi-factor auth) have their own key repository, /etc/keystone/fernet-keys by default.
      fernet_receipts: { key_repository: join(dir, "fernet-keys") },
      credential: { key_repository: join(dir, "credential-keys") },
    }),
  );
}

/**
 * One uwsgi process, no master (which would add 75 MB and a process to stop): one worker with threads
 * enabled (sqlite objects must stay in their thread; more workers lock the database), `Connection:
 * close` because --http-socket does not keep connections alive, --die-on-term so that SIGTERM stops
 * it rather than reloading it, and --need-app so that it exits when Keystone cannot load.
 */
function startUwsgi(launch: Launch, dir: string, port: number): ManagedProcess {
  return launch.spawn(
    "keystone",
    "/usr/bin/uwsgi",
    [
      "--plugin",
      "python3",
      "--http-socket",
      `127.0.0.1:${port}`,
      "--wsgi-file",
      "/usr/bin/keystone-wsgi-public",
      "--processes",
      "1",
      "--enable-threads",
      "--add-header",
      "Connection: close",
      "--die-on-term",
      "--need-app",
      "--buffer-size",
      "65535",
      "--disable-logging",
    ],
    { env: launch.env({ OS_KEYSTONE_CONFIG_DIR: dir, OS_KEYSTONE_CONFIG_FILES: "keystone.conf" }) },
  );
}

/**
 * Writes the configuration, then starts uwsgi while the database is set up: Keystone loads without
 * touching the database, and both take seconds of Python imports. Resolves once the database is
 * ready and `/v3` answers.
 */
export async function startKeystone(launch: Launch, setup: KeystoneSetup): Promise<ManagedProcess> {
  const dir = join(launch.dir, "keystone");
  writeConfig(dir, setup);
  const proc = startUwsgi(launch, dir, setup.port);
  const url = `http://127.0.0.1:${setup.port}/v3`;
  const args = ["-c", INIT_SCRIPT, join(dir, "keystone.conf"), join(dir, "keystone.db"), url, setup.region];
  await Promise.all([
    launch
      .run("keystone setup", PYTHON, args, { env: launch.env({ OS_BOOTSTRAP_PASSWORD: setup.adminPassword }) })
      .then(() => launch.progress("keystone database ready")),
    launch.waitReady(proc, () => httpAnswers(url, (s) => s === 200)).then(() => launch.progress("keystone answering")),
  ]);
  return proc;
}
