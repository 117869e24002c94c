// The keyring against a real gnome-keyring-daemon on a private D-Bus session bus. Calls that reach
// D-Bus run in fresh node processes: keytar (libsecret) and @napi-rs/keyring keep their first bus
// connection for the life of the process, so after DBUS_SESSION_BUS_ADDRESS changes they still talk to
// the old bus (measured: session B read session A's secret), and each scenario here needs its own bus.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyringError } from "../src/errors/index.js";
import { Keyring, type KeyringBackendName } from "../src/keyring/index.js";
import { ensureDebianPackages } from "../src/testing/system-packages.js";
import { startKeyringSession, type KeyringSession } from "../src/testing/keyring-session.js";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const BACKENDS: KeyringBackendName[] = ["keytar", "napi", "secret-tool"];
const TIMEOUT = 60_000;

type Step =
  | { backend: KeyringBackendName; op: "get" | "delete"; service: string; account: string }
  | { backend: KeyringBackendName; op: "set"; service: string; account: string; password: string };
type Outcome =
  | { ok: true; value: string | boolean | null }
  | { ok: false; keyringError: boolean; name: string; code?: string; message: string };

// Runs steps in order in a fresh node process and prints one outcome per step as JSON.
const RUNNER = `
import { KeyringError } from "./errors/index.js";
import { Keyring } from "./keyring/index.js";
const out = [];
for (const step of JSON.parse(process.argv[2])) {
  const keyring = new Keyring({ backend: step.backend });
  try {
    const value =
      step.op === "get" ? await keyring.getPassword(step.service, step.account)
      : step.op === "set" ? await keyring.setPassword(step.service, step.account, step.password)
      : await keyring.deletePassword(step.service, step.account);
    out.push({ ok: true, value: value ?? null });
  } catch (e) {
    out.push({ ok: false, keyringError: e instanceof KeyringError, name: e.name, code: e.code, message: e.message });
  }
}
console.log(JSON.stringify(out));
`;

// The same three calls through Python's keyring, as pyrax makes them.
const PYTHON_SCRIPT = `
import json, sys, keyring
op, service, account = sys.argv[1:4]
if op == "set":
    keyring.set_password(service, account, sys.stdin.read())
    print(json.dumps(None))
elif op == "get":
    print(json.dumps(keyring.get_password(service, account)))
else:
    keyring.delete_password(service, account)
    print(json.dumps(True))
`;

let build: string;
let session: KeyringSession;

/** The package's sources as ES modules, in a temporary directory whose node_modules is the package's. */
function transpileSources(): string {
  const swc = createRequire(import.meta.url)("@swc/core") as typeof import("@swc/core");
  const out = mkdtempSync(join(tmpdir(), "nimbus-keyring-test-"));
  // Bare imports (keytar, @napi-rs/keyring) resolve through this link, as from the package itself.
  symlinkSync(join(PACKAGE_DIR, "node_modules"), join(out, "node_modules"), "dir");
  const src = join(PACKAGE_DIR, "src");
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    );
  for (const file of walk(src)) {
    const target = join(out, relative(src, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    const { code } = swc.transformFileSync(file, {
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "es6" },
      swcrc: false,
    });
    writeFileSync(target, code);
  }
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(out, "runner.js"), RUNNER);
  return out;
}

function envFor(target: KeyringSession | "no-bus"): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C.UTF-8" };
  delete env.DISPLAY;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return target === "no-bus" ? env : { ...env, ...target.env };
}

function run(steps: Step[], target: KeyringSession | "no-bus" = session): Outcome[] {
  const result = spawnSync(process.execPath, [join(build, "runner.js"), JSON.stringify(steps)], {
    env: envFor(target),
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`runner failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome[];
}

/** Python's keyring with its default backend chain (SecretService first), as pyrax uses it. */
function python(op: "get" | "set" | "delete", service: string, account: string, password = ""): unknown {
  const result = spawnSync(PYTHON, ["-c", PYTHON_SCRIPT, op, service, account], {
    env: envFor(session),
    input: password,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`python keyring ${op} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

/** What secret-tool shows of the items of a service: the attributes of each, and how many there are. */
function items(service: string): { count: number; attributes: Record<string, string> } {
  const result = spawnSync("secret-tool", ["search", "--all", "service", service], {
    env: envFor(session),
    encoding: "utf8",
  });
  const attributes: Record<string, string> = {};
  for (const match of result.stderr.matchAll(/^attribute\.(\S+) = (.*)$/gm)) attributes[match[1]!] = match[2]!;
  return { count: (result.stdout.match(/^\[\/.*\]$/gm) ?? []).length, attributes };
}

function values(outcomes: Outcome[]): unknown[] {
  return outcomes.map((o) => (o.ok ? o.value : `${o.name}: ${o.message}`));
}

/** Processes whose command line or environment mention the directory. */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const text = readFileSync(`/proc/${pid}/cmdline`, "latin1") + readFileSync(`/proc/${pid}/environ`, "latin1");
      if (text.includes(dir)) found.push(Number(pid));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

beforeAll(async () => {
  // Fails (never skips) with the apt-get command when a package is missing and we are not root.
  ensureDebianPackages(["dbus", "gnome-keyring", "libsecret-tools", "python3-keyring"]);
  build = transpileSources();
  session = await startKeyringSession();
}, TIMEOUT);

afterAll(async () => {
  await session?.stop();
  if (build) rmSync(build, { recursive: true, force: true });
});

describe("keyring against gnome-keyring", () => {
  it.each(BACKENDS)(
    "%s: set, get, replace, delete; a missing entry is null",
    (backend) => {
      const service = `nimbus-roundtrip-${backend}`;
      const outcomes = run([
        { backend, op: "get", service, account: "alice" },
        { backend, op: "set", service, account: "alice", password: "first pw ünïcødé" },
        { backend, op: "get", service, account: "alice" },
        { backend, op: "set", service, account: "alice", password: "second\npw" },
        { backend, op: "get", service, account: "alice" },
        { backend, op: "get", service, account: "bob" },
        { backend, op: "delete", service, account: "alice" },
        { backend, op: "get", service, account: "alice" },
        { backend, op: "delete", service, account: "alice" },
      ]);
      expect(values(outcomes)).toEqual([null, null, "first pw ünïcødé", null, "second\npw", null, true, null, false]);
      expect(items(service).count).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "cross-reads: napi, secret-tool and Python's keyring share items; keytar reads only its own",
    () => {
      const writers = [...BACKENDS, "python"] as const;
      const matrix: Record<string, Record<string, unknown>> = {};
      const attributes: Record<string, Record<string, string>> = {};
      for (const writer of writers) {
        const service = `nimbus-cross-${writer}`;
        if (writer === "python") python("set", service, "demo", `pw-${writer}`);
        else run([{ backend: writer, op: "set", service, account: "demo", password: `pw-${writer}` }]);
        attributes[writer] = items(service).attributes;
        const read = values(run(BACKENDS.map((backend) => ({ backend, op: "get", service, account: "demo" }))));
        matrix[writer] = Object.fromEntries([
          ...BACKENDS.map((reader, i) => [reader, read[i] === `pw-${writer}`]),
          ["python", python("get", service, "demo") === `pw-${writer}`],
        ]);
      }
      // Python's libsecret backend (used only without SecretStorage) is left out: it returned None at
      // random, even for items Python itself wrote (see the decision record).
      expect(matrix).toEqual({
        keytar: { keytar: true, napi: false, "secret-tool": false, python: false },
        napi: { keytar: false, napi: true, "secret-tool": true, python: true },
        "secret-tool": { keytar: false, napi: true, "secret-tool": true, python: true },
        python: { keytar: false, napi: true, "secret-tool": true, python: true },
      });
      // Why: the attributes each one writes.
      expect(attributes.keytar).toMatchObject({ service: "nimbus-cross-keytar", account: "demo" });
      expect(attributes.keytar).not.toHaveProperty("username");
      expect(attributes.napi).toEqual({ service: "nimbus-cross-napi", username: "demo" });
      const python_ = { username: "demo", application: "Python keyring library" };
      expect(attributes["secret-tool"]).toMatchObject({ ...python_, service: "nimbus-cross-secret-tool" });
      expect(attributes.python).toMatchObject({ ...python_, service: "nimbus-cross-python" });
    },
    TIMEOUT,
  );

  it(
    "reads the API key pyrax keeps under service 'pyrax' (napi, secret-tool), and writes one pyrax reads",
    () => {
      python("set", "pyrax", "demo", "api-key-from-python");
      expect(
        values(
          BACKENDS.map((backend) => ({ backend, op: "get", service: "pyrax", account: "demo" }) as const).map(
            (s) => run([s])[0]!,
          ),
        ),
      ).toEqual([null, "api-key-from-python", "api-key-from-python"]);

      run([{ backend: "secret-tool", op: "set", service: "pyrax", account: "demo", password: "api-key-from-node" }]);
      expect(items("pyrax").count).toBe(1);
      expect(python("get", "pyrax", "demo")).toBe("api-key-from-node");
      expect(values(run([{ backend: "secret-tool", op: "delete", service: "pyrax", account: "demo" }]))).toEqual([
        true,
      ]);
      expect(python("get", "pyrax", "demo")).toBeNull();
    },
    TIMEOUT,
  );

  it(
    "napi reports two items for one pair as AMBIGUOUS; secret-tool set leaves exactly one",
    () => {
      const service = "nimbus-duplicate";
      // Python's create_item(replace=True) matches on its own attributes, so it adds a second item
      // beside the one @napi-rs/keyring wrote (which has no `application`).
      run([{ backend: "napi", op: "set", service, account: "demo", password: "from-napi" }]);
      python("set", service, "demo", "from-python");
      expect(items(service).count).toBe(2);
      const [ambiguous] = run([{ backend: "napi", op: "get", service, account: "demo" }]);
      expect(ambiguous).toMatchObject({ ok: false, keyringError: true, code: "AMBIGUOUS" });

      const steps: Step[] = [
        { backend: "secret-tool", op: "set", service, account: "demo", password: "new" },
        { backend: "napi", op: "get", service, account: "demo" },
        { backend: "secret-tool", op: "get", service, account: "demo" },
      ];
      expect(values(run(steps))).toEqual([null, "new", "new"]);
      expect(items(service).count).toBe(1);
      expect(python("get", service, "demo")).toBe("new");
      expect(values(run([{ backend: "secret-tool", op: "delete", service, account: "demo" }]))).toEqual([true]);
    },
    TIMEOUT,
  );

  it(
    "no D-Bus session bus: a KeyringError that says how to get one, from every backend",
    () => {
      const outcomes = run(
        BACKENDS.flatMap((backend) => [
          { backend, op: "get", service: "svc", account: "acct" } as const,
          { backend, op: "set", service: "svc", account: "acct", password: "hunter2-secret" } as const,
        ]),
        "no-bus",
      );
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ ok: false, keyringError: true, name: "KeyringError", code: "NO_SESSION_BUS" });
        expect(outcome.ok ? "" : outcome.message).toContain("dbus-run-session");
        expect(outcome.ok ? "" : outcome.message).not.toContain("hunter2-secret");
      }
    },
    TIMEOUT,
  );

  it(
    "no D-Bus session bus, inside the jest process: keytar and napi load through import() and fail clearly",
    async () => {
      // Without a bus no connection is made, so nothing stays cached in this process for later tests.
      const saved = { bus: process.env.DBUS_SESSION_BUS_ADDRESS, display: process.env.DISPLAY };
      delete process.env.DBUS_SESSION_BUS_ADDRESS;
      delete process.env.DISPLAY;
      try {
        for (const backend of ["keytar", "napi"] as const) {
          const error = await new Keyring({ backend }).getPassword("svc", "acct").catch((e: unknown) => e);
          expect(error).toBeInstanceOf(KeyringError);
          expect((error as KeyringError).code).toBe("NO_SESSION_BUS");
        }
      } finally {
        if (saved.bus !== undefined) process.env.DBUS_SESSION_BUS_ADDRESS = saved.bus;
        if (saved.display !== undefined) process.env.DISPLAY = saved.display;
      }
    },
    TIMEOUT,
  );

  it(
    "a bus without a secret service, and a daemon without a login collection: KeyringErrors that say so",
    async () => {
      const bare = await startKeyringSession({ keyring: false });
      const locked = await startKeyringSession({ unlock: false });
      try {
        const steps = BACKENDS.flatMap((backend) => [
          { backend, op: "get", service: "svc", account: "acct" } as const,
          { backend, op: "set", service: "svc", account: "acct", password: "hunter2-secret" } as const,
        ]);
        for (const outcome of run(steps, bare)) {
          expect(outcome).toMatchObject({ ok: false, keyringError: true, code: "NO_SECRET_SERVICE" });
        }
        // Reading finds nothing (null, as for a missing entry); storing fails and says why.
        const outcomes = run(steps, locked);
        expect(outcomes.filter((_, i) => i % 2 === 0)).toEqual(BACKENDS.map(() => ({ ok: true, value: null })));
        for (const outcome of outcomes.filter((_, i) => i % 2 === 1)) {
          expect(outcome).toMatchObject({ ok: false, keyringError: true, code: "LOCKED" });
          expect(outcome.ok ? "" : outcome.message).toContain("--unlock");
          expect(outcome.ok ? "" : outcome.message).not.toContain("hunter2-secret");
        }
      } finally {
        await bare.stop();
        await locked.stop();
      }
    },
    TIMEOUT,
  );

  it(
    "stop() leaves no process and no temporary directory behind",
    async () => {
      const extra = await startKeyringSession();
      expect(processesUsing(extra.dir).length).toBeGreaterThanOrEqual(2);
      await extra.stop();
      await extra.stop();
      expect(processesUsing(extra.dir)).toEqual([]);
      expect(existsSync(extra.dir)).toBe(false);
    },
    TIMEOUT,
  );
});
