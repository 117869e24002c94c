import { describe, expect, it } from "@jest/globals";
import { AbortError, KeyringError, ValidationError } from "../src/errors/index.js";
import {
  Keyring,
  type KeyringBackend,
  type KeyringCallOptions,
  type KeyringErrorCode,
  type KeyringModuleLoader,
} from "../src/keyring/index.js";
import { classify } from "../src/keyring/errors.js";

const SECRET = "s3cr3t-value-never-shown";

/** An in-memory stand-in for keytar's module.exports. */
function fakeKeytar(): { store: Map<string, string> } & Record<string, unknown> {
  const store = new Map<string, string>();
  return {
    store,
    getPassword: async (s: string, a: string) => store.get(`${s}/${a}`) ?? null,
    setPassword: async (s: string, a: string, p: string) => void store.set(`${s}/${a}`, p),
    deletePassword: async (s: string, a: string) => store.delete(`${s}/${a}`),
  };
}

/** What Node's `import()` throws for a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/x.js`), {
    code: "ERR_MODULE_NOT_FOUND",
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

describe("Keyring facade", () => {
  it("loads the backend's package on the first call only, and once", async () => {
    const calls: string[] = [];
    const module = fakeKeytar();
    // As `import()` of a CommonJS package gives it: module.exports under `default`.
    const load: KeyringModuleLoader = async (name) => (calls.push(name), { default: module });
    const keyring = new Keyring({ load });
    expect(keyring.backendName).toBe("keytar");
    expect(calls).toEqual([]);
    await keyring.setPassword("svc", "acct", SECRET);
    expect(await keyring.getPassword("svc", "acct")).toBe(SECRET);
    expect(await keyring.getPassword("svc", "other")).toBeNull();
    expect(await keyring.deletePassword("svc", "acct")).toBe(true);
    expect(await keyring.deletePassword("svc", "acct")).toBe(false);
    expect(calls).toEqual(["keytar"]);
  });

  it("says to npm install keytar, and its libsecret build deps, when keytar is missing", async () => {
    let attempts = 0;
    const keyring = new Keyring({
      backend: "keytar",
      load: async (name) => {
        attempts++;
        throw notFound(name);
      },
    });
    const error = await rejection(keyring.getPassword("svc", "acct"));
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as KeyringError).code).toBe("MODULE_NOT_FOUND");
    expect(error.message).toContain("npm install keytar");
    expect(error.message).toContain("libsecret-1-dev");
    // Not cached: installing the package later fixes the same Keyring.
    await rejection(keyring.getPassword("svc", "acct"));
    expect(attempts).toBe(2);
  });

  it("says to npm install @napi-rs/keyring when it is missing", async () => {
    const keyring = new Keyring({ backend: "napi", load: async (name) => Promise.reject(notFound(name)) });
    const error = await rejection(keyring.setPassword("svc", "acct", SECRET));
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as KeyringError).code).toBe("MODULE_NOT_FOUND");
    expect(error.message).toContain("npm install @napi-rs/keyring");
    expect(error.message).not.toContain(SECRET);
  });

  it("tells a broken native build apart from a missing package", async () => {
    const dlopen = Object.assign(new Error("libsecret-1.so.0: cannot open shared object file"), {
      code: "ERR_DLOPEN_FAILED",
    });
    const broken = new Keyring({ load: async () => Promise.reject(dlopen) });
    const error = await rejection(broken.getPassword("svc", "acct"));
    expect((error as KeyringError).code).toBe("MODULE_LOAD_FAILED");
    expect(error.message).toContain("libsecret-1-0");

    const noBinary = Object.assign(new Error("Cannot find module '../build/Release/keytar.node'"), {
      code: "MODULE_NOT_FOUND",
    });
    const unbuilt = new Keyring({ load: async () => Promise.reject(noBinary) });
    expect(((await rejection(unbuilt.getPassword("svc", "acct"))) as KeyringError).code).toBe("MODULE_LOAD_FAILED");

    const wrongShape = new Keyring({ backend: "napi", load: async () => ({ default: { Entry: class {} } }) });
    const shapeError = await rejection(wrongShape.getPassword("svc", "acct"));
    expect((shapeError as KeyringError).code).toBe("MODULE_LOAD_FAILED");
    expect(shapeError.message).toContain("AsyncEntry");
  });

  it("says to install libsecret-tools when secret-tool is missing", async () => {
    const keyring = new Keyring({ backend: "secret-tool", secretTool: { command: "/nonexistent/secret-tool" } });
    const error = await rejection(keyring.getPassword("svc", "acct"));
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as KeyringError).code).toBe("MODULE_NOT_FOUND");
    expect(error.message).toContain("apt-get install libsecret-tools");
  });

  it("rejects empty names and passwords without naming the value", async () => {
    const keyring = new Keyring({ load: async () => fakeKeytar() });
    for (const [call, field] of [
      [() => keyring.getPassword("", "acct"), "service"],
      [() => keyring.setPassword("svc", "", SECRET), "account"],
      [() => keyring.setPassword("svc", "acct", ""), "password"],
      [() => keyring.deletePassword("svc", undefined as unknown as string), "account"],
    ] as const) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    expect(() => new Keyring({ backend: "gnome" as "napi" })).toThrow(ValidationError);
  });

  it("checks the signal before starting", async () => {
    let called = false;
    const backend: KeyringBackend = {
      name: "spy",
      getPassword: async () => ((called = true), null),
      setPassword: async () => void (called = true),
      deletePassword: async () => (called = true),
    };
    const keyring = new Keyring({ backend });
    const controller = new AbortController();
    controller.abort(new Error("user pressed ^C"));
    const options: KeyringCallOptions = { signal: controller.signal };
    for (const call of [
      keyring.getPassword("svc", "acct", options),
      keyring.setPassword("svc", "acct", SECRET, options),
      keyring.deletePassword("svc", "acct", options),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(AbortError);
      expect(error.cause).toBe(controller.signal.reason);
    }
    expect(called).toBe(false);
  });

  it("never puts the secret in a KeyringError, nor keeps a cause that shows it", async () => {
    const backend: KeyringBackend = {
      name: "leaky",
      getPassword: async () => null,
      setPassword: async (_s, _a, password) => {
        throw new Error(`Cannot create an item in a locked collection: ${password}`);
      },
      deletePassword: async () => false,
    };
    const error = await rejection(new Keyring({ backend }).setPassword("svc", "acct", SECRET));
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as KeyringError).code).toBe("LOCKED");
    expect(error.message).toContain("REDACTED");
    expect(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
  });

  it("classifies what keytar, @napi-rs/keyring and secret-tool said in each situation", () => {
    // Messages observed against gnome-keyring 42 (see docs/decisions/0002-keyring-backend.md).
    const observed: [string, KeyringErrorCode][] = [
      ["Cannot autolaunch D-Bus without X11 $DISPLAY", "NO_SESSION_BUS"],
      ["Could not connect: No such file or directory", "NO_SESSION_BUS"],
      ["The connection is closed", "NO_SESSION_BUS"],
      [
        "Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead",
        "NO_SESSION_BUS",
      ],
      [
        "Platform failure: DBus error: Failed to connect to socket /nonexistent/bus: No such file or directory",
        "NO_SESSION_BUS",
      ],
      ["The name org.freedesktop.secrets was not provided by any .service files", "NO_SECRET_SERVICE"],
      [
        "Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files",
        "NO_SECRET_SERVICE",
      ],
      ["Object does not exist at path “/org/freedesktop/secrets/collection/login”", "LOCKED"],
      ["Couldn't access platform storage: Secret Service: no result found", "LOCKED"],
      ["Cannot create an item in a locked collection", "LOCKED"],
      ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", "LOCKED"],
      [
        'Entry is matched by 2 credentials: [Entry { inner: Wrapper { path: Path("/org/freedesktop/secrets/collection/login/3\\0") } }]',
        "AMBIGUOUS",
      ],
      ["Failed to execute child process “secret-tool”", "BACKEND_FAILED"],
    ];
    for (const [message, code] of observed) expect([message, classify(message)]).toEqual([message, code]);
  });
});
