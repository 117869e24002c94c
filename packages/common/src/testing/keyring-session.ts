import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManagedProcess } from "./process.js";
import { ensureDebianPackages } from "./system-packages.js";

/** The variables a process needs to use the private keyring and nothing of the real user's. */
export interface KeyringSessionEnv {
  DBUS_SESSION_BUS_ADDRESS: string;
  HOME: string;
  XDG_DATA_HOME: string;
  XDG_CONFIG_HOME: string;
  XDG_CACHE_HOME: string;
  XDG_RUNTIME_DIR: string;
}

/** Options of a throw-away D-Bus session with gnome-keyring, for keyring tests. */
export interface KeyringSessionOptions {
  /** Start gnome-keyring-daemon on the bus; false gives a bus without a secret service. Default true. */
  keyring?: boolean;
  /** Create and unlock the login collection; false leaves the daemon without one. Default true. */
  unlock?: boolean;
  /** Install missing Debian packages when root; default true (false only reports them). */
  allowInstall?: boolean;
  /** Milliseconds to wait for the bus and the daemon; default 15000. */
  timeout?: number;
}

/** A private D-Bus session bus with gnome-keyring on it, for tests and the demo. */
export interface KeyringSession {
  /** D-Bus address of the private bus (also in `env`). */
  readonly busAddress: string;
  /** Merge into a child's environment: `{ ...process.env, ...session.env }`. */
  readonly env: KeyringSessionEnv;
  /** The temporary home holding the keyring files, removed by `stop()`. */
  readonly dir: string;
  /** Stops the daemon and the bus and removes every temporary file; safe to call twice. */
  stop(): Promise<void>;
}

// A session bus with no service activation: nothing but what we start can own a name, so no stray
// daemon (or unlock prompter) is ever spawned by the bus itself.
function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function dbusSend(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("dbus-send", ["--session", "--print-reply", ...args], { env, timeout: 2000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/**
 * Starts a private D-Bus session bus and, on it, gnome-keyring-daemon with an unlocked login collection,
 * all under a temporary HOME, so tests never touch the real user's keyring. Both run as direct children
 * of this process (no dbus-run-session), so `stop()` reaps them and leaves nothing running.
 */
export async function startKeyringSession(options: KeyringSessionOptions = {}): Promise<KeyringSession> {
  const { keyring = true, unlock = true, timeout = 15_000 } = options;
  ensureDebianPackages(keyring ? ["dbus", "gnome-keyring"] : ["dbus"], { allowInstall: options.allowInstall });

  // Short path: a unix socket path must stay under 108 bytes.
  const dir = mkdtempSync(join(tmpdir(), "nimbus-keyring-"));
  const socket = join(dir, "bus");
  const env: KeyringSessionEnv = {
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`,
    HOME: dir,
    XDG_DATA_HOME: join(dir, "data"),
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_CACHE_HOME: join(dir, "cache"),
    XDG_RUNTIME_DIR: join(dir, "run"),
  };
  for (const sub of ["data", "config", "cache", "run"]) mkdirSync(join(dir, sub), { mode: 0o700 });
  writeFileSync(join(dir, "bus.conf"), busConfig(socket));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LC_ALL: "C.UTF-8" };
  // No X11: libsecret must never autolaunch a bus of its own.
  delete childEnv.DISPLAY;

  const processes: ManagedProcess[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // The daemon first: it exits on its own when the bus disappears, but may still be writing files.
    for (const p of processes.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const bus = new ManagedProcess({
      name: "dbus-daemon",
      command: "dbus-daemon",
      args: [`--config-file=${join(dir, "bus.conf")}`, "--nofork", "--nopidfile", "--print-address=1"],
      env: childEnv,
    });
    processes.push(bus);
    await bus.waitUntilReady(
      async () => (await dbusSend(childEnv, ["--dest=org.freedesktop.DBus", "/", "org.freedesktop.DBus.GetId"])) !== "",
      timeout,
    );

    if (keyring) {
      const args = ["--foreground", "--components=secrets"];
      let command = "gnome-keyring-daemon";
      if (unlock) {
        // --unlock reads the password from stdin, which ManagedProcess does not give: `exec` keeps the
        // daemon itself as our child (a shell left in between would orphan it as a zombie on stop).
        const passwordFile = join(dir, "password");
        writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
        args.unshift("-c", 'exec gnome-keyring-daemon "$@" < "$0"', passwordFile, "--unlock");
        command = "sh";
      }
      const daemon = new ManagedProcess({ name: "gnome-keyring", command, args, env: childEnv });
      processes.push(daemon);
      await daemon.waitUntilReady(async () => {
        if (!unlock) {
          const owner = await dbusSend(childEnv, [
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
          ]);
          return owner.includes("boolean true");
        }
        // Ready once the default collection exists and is unlocked.
        const locked = await dbusSend(childEnv, [
          "--dest=org.freedesktop.secrets",
          "/org/freedesktop/secrets/aliases/default",
          "org.freedesktop.DBus.Properties.Get",
          "string:org.freedesktop.Secret.Collection",
          "string:Locked",
        ]);
        return locked.includes("boolean false");
      }, timeout);
      if (unlock) rmSync(join(dir, "password"), { force: true });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { busAddress: env.DBUS_SESSION_BUS_ADDRESS, env, dir, stop };
}
