// MariaDB for Nova's, Neutron's, Cinder's and Designate's databases: on sqlite, Nova and Designate lose
// operations to `database is locked` once a few run at once. Data, socket and pid file stay under the launch's
// directory; it listens on 127.0.0.1 only.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NimbusError } from "@nimbus-sdk/common";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { tcpOpen, type Launch } from "./launch.js";

export interface MariaDbSetup {
  port: number;
  /** Password of the `openstack` user that every service connects as. */
  password: string;
  databases: readonly string[];
  /** Names its directory and process when a launch runs more than one (default "mariadb"). */
  name?: string;
}

/** The SQLAlchemy URL of one database. */
export function databaseUrl(setup: MariaDbSetup, database: string): string {
  return `mysql+pymysql://openstack:${setup.password}@127.0.0.1:${setup.port}/${database}?charset=utf8`;
}

/** Initialises the data directory, starts the server and creates the databases and their user. */
export async function startMariaDb(launch: Launch, setup: MariaDbSetup): Promise<ManagedProcess> {
  const name = setup.name ?? "mariadb";
  const dir = join(launch.dir, name);
  const data = join(dir, "data");
  const socket = join(dir, "mysqld.sock");
  mkdirSync(dir);
  const user = process.getuid?.() === 0 ? ["--user=root"] : [];
  const install = () =>
    launch.run("mariadb-install-db", "/usr/bin/mariadb-install-db", [
      "--no-defaults",
      `--datadir=${data}`,
      ...user,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ]);
  // The bootstrap failed once in a CI run ("Installation of system tables failed") and not again: start
  // it over once on an empty directory, and say what its error log held if it fails twice.
  await install().catch(async (first: unknown) => {
    const log = errorLog(data);
    rmSync(data, { recursive: true, force: true });
    await install().catch((second: unknown) => {
      throw new NimbusError(`${String(second)}\nthe first attempt: ${String(first)}\n${log}${errorLog(data)}`);
    });
  });
  const proc = launch.spawn(name, "/usr/sbin/mariadbd", [
    "--no-defaults",
    `--datadir=${data}`,
    "--bind-address=127.0.0.1",
    `--port=${setup.port}`,
    `--socket=${socket}`,
    `--pid-file=${join(dir, "mysqld.pid")}`,
    `--tmpdir=${dir}`,
    ...user,
    "--skip-name-resolve",
    "--skip-log-bin",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=16M",
    // The data is thrown away: no flush per commit.
    "--innodb-flush-log-at-trx-commit=0",
    "--max-connections=500",
  ]);
  await launch.waitReady(proc, () => tcpOpen(setup.port));
  const sql = [
    ...setup.databases.map((name) => `CREATE DATABASE ${name};`),
    `CREATE USER 'openstack'@'127.0.0.1' IDENTIFIED BY '${setup.password}';`,
    `GRANT ALL ON *.* TO 'openstack'@'127.0.0.1';`,
  ].join(" ");
  await launch.run("mariadb setup", "/usr/bin/mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "-e", sql]);
  launch.progress(`${name} ready`);
  return proc;
}

/** The last lines of the server's error logs (*.err) in `data`, for a failed bootstrap's message. */
function errorLog(data: string): string {
  if (!existsSync(data)) return "";
  return readdirSync(data)
    .filter((file) => file.endsWith(".err"))
    .map((file) => `${file}:\n${readFileSync(join(data, file), "utf8").split("\n").slice(-15).join("\n")}\n`)
    .join("");
}
