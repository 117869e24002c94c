// The packages as a user gets them: `pnpm pack` each one, check what the tarball holds, install
// common and a provider from the tarballs with plain npm into an empty folder, load them from ESM
// and CommonJS (and type-check a consumer of each kind under nodenext, node16 and bundler resolution),
// then add a second provider and check that one copy of common serves both. Expects built packages (scripts/test.sh builds first). Prints a
// PASS/FAIL line per check and exits non-zero when any fails. NIMBUS_KEEP_PACKAGING=1 keeps the
// temporary folder for a look.
import { execFile as execFileCallback } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFile = promisify(execFileCallback);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pnpm = existsSync(join(root, ".tools/node_modules/.bin/pnpm"))
  ? join(root, ".tools/node_modules/.bin/pnpm")
  : "pnpm";
const tsc = join(root, "node_modules/typescript/bin/tsc");
const typeRoots = join(root, "node_modules/@types");
// The provider installed first with common, and the one added next to it.
const FIRST_PROVIDER = "openstack";
const SECOND_PROVIDER = "vsphere";
// What may be in a tarball: the folders its `files` names, and the files npm always adds.
const ALWAYS_PACKED = /^package\/(package\.json|README(\.md)?|CHANGELOG\.md|LICEN[CS]E(\.md|\.txt)?)$/i;
const packedFolders = (manifest) => manifest.files.filter((entry) => !/\.\w+$/.test(entry));
const isAllowedEntry = (entry, manifest) =>
  ALWAYS_PACKED.test(entry) || packedFolders(manifest).some((folder) => entry.startsWith(`package/${folder}/`));

const started = performance.now();
const results = [];
function record(name, pass, detail = "") {
  results.push({ name, pass });
  process.stdout.write(`${pass ? "PASS" : "FAIL"}  ${name}${detail ? `: ${detail}` : ""}\n`);
}
async function check(name, fn) {
  try {
    const detail = await fn();
    record(name, true, typeof detail === "string" ? detail : "");
  } catch (error) {
    record(name, false, (error?.message ?? String(error)).trim());
  }
}
async function run(command, args, options = {}) {
  try {
    return await execFile(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options });
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim();
    throw new Error(`${[command, ...args].join(" ")} failed (${error.code ?? error.signal})\n${indent(output)}`, {
      cause: error,
    });
  }
}
function indent(text) {
  return text
    .split("\n")
    .slice(0, 40)
    .map((line) => `    ${line}`)
    .join("\n");
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const packages = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private);

const missingBuilds = packages.filter(
  ({ dir }) =>
    !existsSync(join(root, "packages", dir, "dist/esm/index.js")) ||
    !existsSync(join(root, "packages", dir, "dist/cjs/index.js")),
);
if (missingBuilds.length) {
  record(
    "built packages",
    false,
    `no dist/ in ${missingBuilds.map((p) => p.dir).join(", ")}; run \`pnpm turbo run build\` first`,
  );
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "nimbus-packaging-"));
const tarballDir = join(work, "tarballs");
const app = join(work, "app");
mkdirSync(tarballDir);
mkdirSync(app);
const tarballs = {};

try {
  await check(`pnpm pack ${packages.length} packages`, async () => {
    await Promise.all(
      packages.map(async ({ dir, manifest }) => {
        await run(pnpm, ["pack", "--pack-destination", tarballDir], { cwd: join(root, "packages", dir) });
        const file = `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`;
        assert(existsSync(join(tarballDir, file)), `${file} was not written`);
        tarballs[dir] = join(tarballDir, file);
      }),
    );
  });
  if (Object.keys(tarballs).length !== packages.length) throw new Error("cannot go on without every tarball");

  for (const { dir, manifest } of packages) {
    await check(`${manifest.name} tarball contents`, async () => {
      const { stdout } = await run("tar", ["-tzf", tarballs[dir]]);
      const entries = stdout.split("\n").filter(Boolean);
      const unexpected = entries.filter((entry) => !isAllowedEntry(entry, manifest) || entry.includes(".."));
      assert(!unexpected.length, `not allowed by \`files\`: ${unexpected.slice(0, 10).join(", ")}`);
      const forbidden = entries.filter((entry) =>
        /\/(src|test|shared)\/|\.test-results\.json$|\.tsbuildinfo$|\.(wsdl|xsd)$/.test(entry),
      );
      assert(!forbidden.length, `source, test, shared data or a schema: ${forbidden.slice(0, 10).join(", ")}`);
      for (const required of [
        "package/dist/esm/index.js",
        "package/dist/cjs/index.js",
        "package/dist/cjs/package.json",
      ]) {
        assert(entries.includes(required), `${required} is missing`);
      }
      // One set of declarations, in dist/cjs (docs/decisions/0028): dist/esm holds only the exports
      // map's \`import\` types entries, which point into it.
      const esmTypes = new Set();
      const walkTypes = (value, condition) => {
        if (typeof value === "string") {
          if (condition === "import" && value.endsWith(".d.ts")) esmTypes.add(`package/${value.replace(/^\.\//, "")}`);
        } else if (value && typeof value === "object") {
          for (const [key, inner] of Object.entries(value)) walkTypes(inner, key === "types" ? condition : key);
        }
      };
      walkTypes(manifest.exports, undefined);
      const strayTypes = entries.filter(
        (e) => e.startsWith("package/dist/esm/") && e.endsWith(".d.ts") && !esmTypes.has(e),
      );
      assert(!strayTypes.length, `declarations outside dist/cjs: ${strayTypes.slice(0, 10).join(", ")}`);
      assert(!entries.some((e) => e.endsWith(".map")), "source maps in the tarball");
      const { stdout: packed } = await run("tar", ["-xzOf", tarballs[dir], "package/package.json"]);
      const ranges = JSON.stringify({ ...JSON.parse(packed).dependencies, ...JSON.parse(packed).peerDependencies });
      assert(!ranges.includes("workspace:"), `workspace: ranges left in package.json: ${ranges}`);
      const { stdout: contents } = await run("tar", ["-xzOf", tarballs[dir]]);
      assert(!contents.includes("/work/shared") && !contents.includes("../shared/"), "mentions the shared data folder");
      return `${entries.length} files`;
    });
  }

  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const npmInstall = (...files) =>
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...files], {
      cwd: app,
      env: { ...process.env, npm_config_update_notifier: "false" },
    });

  let installed = false;
  // ky (the optional "ky" client) and fast-xml-parser (common/xml) are optional peers: installed
  // here as a user who wants them would, so both are really loaded below.
  await check(
    `npm install common + ${FIRST_PROVIDER} from the tarballs, with the optional ky and fast-xml-parser`,
    async () => {
      await npmInstall(tarballs.common, tarballs[FIRST_PROVIDER], "ky@1.14.3", "fast-xml-parser@5.12.1");
      installed = true;
    },
  );
  if (!installed) throw new Error("cannot go on without the install");

  const names = ["common", FIRST_PROVIDER].map((dir) => packages.find((p) => p.dir === dir).manifest.name);
  await check("exports map targets and types entries exist", async () => {
    const missing = [];
    for (const name of names) {
      const base = join(app, "node_modules", name);
      const manifest = JSON.parse(readFileSync(join(base, "package.json"), "utf8"));
      const targets = [manifest.main, manifest.module, manifest.types];
      const walk = (value) => {
        if (typeof value === "string") targets.push(value);
        else if (value && typeof value === "object") Object.values(value).forEach(walk);
      };
      walk(manifest.exports);
      for (const target of targets.filter(Boolean))
        if (!existsSync(join(base, target))) missing.push(`${name}: ${target}`);
      assert(JSON.stringify(manifest.exports).includes('"types"'), `${name} has no types condition`);
    }
    assert(!missing.length, `missing: ${missing.join(", ")}`);
  });

  // Both scripts also send one request through the installed Transport with each client, so the
  // runtime dependencies (undici, ky, fast-xml-parser) are really loaded from the install.
  const smoke = (load) => `
    const http = ${load("node:http")};
    async function smoke(Transport) {
      const server = http.createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end('{"ok":true}'); });
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        for (const client of ["undici", "ky"]) {
          const transport = new Transport({ baseUrl: "http://127.0.0.1:" + server.address().port, userAgent: { package: "consumer", version: "1.0.0" }, client, proxy: false });
          const body = await transport.json({ url: "/ping" });
          await transport.close();
          if (body.ok !== true) throw new Error(client + " answered " + JSON.stringify(body));
        }
      } finally { server.close(); }
    }`;
  writeFileSync(
    join(app, "esm.mjs"),
    `import assert from "node:assert/strict";
    import * as common from "${names[0]}";
    import * as testing from "${names[0]}/testing";
    import * as xml from "${names[0]}/xml";
    import * as client from "${names[0]}/client";
    import * as provider from "${names[1]}";
    import * as providerTesting from "${names[1]}/testing";
    ${smoke((m) => `await import("${m}")`)}
    assert.equal(typeof common.Transport, "function");
    assert.equal(typeof testing.freePort, "function");
    assert.deepEqual(new xml.SafeXmlParser().parse("<a>1</a>"), { a: "1" });
    assert.equal(client.Transport, common.Transport, "common/client is not the main entry's Transport");
    assert.equal(provider.PACKAGE_NAME, "${names[1]}");
    assert.equal(typeof providerTesting.startRackspaceSimulator, "function");
    assert.ok(provider.default instanceof provider.Pyrax, "the default export is not the Pyrax instance");
    await smoke(common.Transport);
    console.log("ok");
    `,
  );
  writeFileSync(
    join(app, "cjs.cjs"),
    `const assert = require("node:assert/strict");
    const common = require("${names[0]}");
    const testing = require("${names[0]}/testing");
    const xml = require("${names[0]}/xml");
    const client = require("${names[0]}/client");
    const provider = require("${names[1]}");
    const providerTesting = require("${names[1]}/testing");
    ${smoke((m) => `require("${m}")`)}
    assert.equal(typeof common.Transport, "function");
    assert.equal(typeof testing.freePort, "function");
    assert.deepEqual(new xml.SafeXmlParser().parse("<a>1</a>"), { a: "1" });
    assert.equal(client.Transport, common.Transport, "common/client is not the main entry's Transport");
    assert.equal(provider.PACKAGE_NAME, "${names[1]}");
    assert.equal(typeof providerTesting.startRackspaceSimulator, "function");
    assert.ok(provider.default instanceof provider.Pyrax, "the default export is not the Pyrax instance");
    assert.ok(require.resolve("${names[0]}").includes("/dist/cjs/"), "require() did not pick the CommonJS build");
    smoke(common.Transport).then(() => console.log("ok"), (error) => { console.error(error); process.exit(1); });
    `,
  );
  // One copy of the code (docs/decisions/0028): each ESM entry re-exports the CommonJS build, so
  // import and require give the same classes and state. Every name require() gives must be there
  // for import too, as the same value.
  const entries = [`${names[0]}`, `${names[0]}/testing`, `${names[0]}/xml`, `${names[1]}`, `${names[1]}/testing`];
  writeFileSync(
    join(app, "one-copy.mjs"),
    `import assert from "node:assert/strict";
    import { createRequire } from "node:module";
    const require = createRequire(import.meta.url);
    for (const entry of ${JSON.stringify(entries)}) {
      const esm = await import(entry);
      const cjs = require(entry);
      assert.deepEqual(Object.keys(esm).sort(), Object.keys(cjs).sort(), entry + ": import and require give other names");
      for (const name of Object.keys(cjs)) assert.equal(esm[name], cjs[name], entry + ": " + name + " is a second copy");
    }
    `,
  );
  // Error classes still match by kind, not identity, across two copies of common (two versions
  // installed side by side); the kinds are checked in common's tests, the one copy here.
  writeFileSync(
    join(app, "errors.mjs"),
    `import assert from "node:assert/strict";
    import { createRequire } from "node:module";
    import * as common from "${names[0]}";
    const cjs = createRequire(import.meta.url)("${names[0]}");
    assert.equal(cjs.NotFoundError, common.NotFoundError, "import and require give two NotFoundError classes");
    const fromCjs = new cjs.NotFoundError("x", { status: 404 });
    assert.ok(fromCjs instanceof common.NimbusError, "NotFoundError is not instanceof NimbusError");
    assert.ok(!(fromCjs instanceof common.ConflictError), "NotFoundError passes for a ConflictError");
    `,
  );
  await check(
    `ESM import of common, common/testing, common/xml, common/client, ${FIRST_PROVIDER} and ${FIRST_PROVIDER}/testing, one request per client`,
    async () => {
      await run(process.execPath, ["esm.mjs"], { cwd: app });
    },
  );
  await check("one copy: import and require of every entry give the same names and values", async () => {
    await run(process.execPath, ["one-copy.mjs"], { cwd: app });
  });
  await check("error classes: require's are import's, and instanceof still tells them apart", async () => {
    await run(process.execPath, ["errors.mjs"], { cwd: app });
  });
  await check(
    `CJS require of common, common/testing, common/xml, common/client, ${FIRST_PROVIDER} and ${FIRST_PROVIDER}/testing, one request per client`,
    async () => {
      const { stderr } = await run(process.execPath, ["cjs.cjs"], { cwd: app });
      return stderr.includes("ExperimentalWarning") ? "note: Node warned about require(esm)" : "";
    },
  );

  // Type resolution as a TypeScript user sees it: under nodenext and node16 an .mts file resolves the
  // "import" condition, a .cts file the "require" one; bundler resolution reads a .ts file's imports
  // with the "import" condition. The @ts-expect-error lines fail the check if a package's types were
  // not found (everything would be \`any\`). The provider's declarations and the ESM types entries
  // that point into them (docs/decisions/0028) must keep a default export the default, and give the
  // provider and the consumer one Transport (a class with #private members, so the consumer's
  // Transport would not fit a provider constructor typed with a second declaration of it).
  const esmConsumer = `import { Transport, NotFoundError, type NimbusResponse } from "${names[0]}";
    import { freePort } from "${names[0]}/testing";
    import pyrax, { PACKAGE_NAME, Pyrax, NotFound, OctaviaCollections } from "${names[1]}";
    import { startRackspaceSimulator, type RackspaceSimulator } from "${names[1]}/testing";
    const transport: Transport = new Transport({ baseUrl: "http://127.0.0.1", userAgent: { package: "x", version: "1" } });
    export const response: Promise<NimbusResponse> = transport.request({ url: "/" });
    export const port: Promise<number> = freePort();
    export const name: string = PACKAGE_NAME;
    export const error: Error = new NotFoundError("gone");
    export const providerError: NotFoundError = new NotFound("gone");
    export const context: Pyrax = pyrax;
    export const octavia = new OctaviaCollections(transport, new URL("http://127.0.0.1/"));
    export const simulator: () => Promise<RackspaceSimulator> = () => startRackspaceSimulator([]);
    // @ts-expect-error PACKAGE_NAME is a string
    export const wrong: number = PACKAGE_NAME;
    // @ts-expect-error userAgent is required
    new Transport({});
    `;
  writeFileSync(join(app, "consumer-esm.mts"), esmConsumer);
  writeFileSync(join(app, "consumer-bundler.ts"), esmConsumer);
  writeFileSync(
    join(app, "consumer-cjs.cts"),
    `import common = require("${names[0]}");
    import testing = require("${names[0]}/testing");
    import provider = require("${names[1]}");
    import providerTesting = require("${names[1]}/testing");
    const transport: common.Transport = new common.Transport({ baseUrl: "http://127.0.0.1", userAgent: { package: "x", version: "1" } });
    export const response: Promise<common.NimbusResponse> = transport.request({ url: "/" });
    export const port: Promise<number> = testing.freePort();
    export const name: string = provider.PACKAGE_NAME;
    export const providerError: common.NotFoundError = new provider.NotFound("gone");
    export const context: provider.Pyrax = provider.default;
    export const octavia = new provider.OctaviaCollections(transport, new URL("http://127.0.0.1/"));
    export const simulator: () => Promise<providerTesting.RackspaceSimulator> = () => providerTesting.startRackspaceSimulator([]);
    // @ts-expect-error PACKAGE_NAME is a string
    export const wrong: number = provider.PACKAGE_NAME;
    `,
  );
  const tsconfig = (file, module, moduleResolution, files) =>
    writeFileSync(
      join(app, file),
      JSON.stringify({
        compilerOptions: {
          module,
          moduleResolution,
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [typeRoots],
          types: ["node"],
        },
        files,
      }),
    );
  tsconfig("tsconfig.nodenext.json", "nodenext", "nodenext", ["consumer-esm.mts", "consumer-cjs.cts"]);
  tsconfig("tsconfig.node16.json", "node16", "node16", ["consumer-esm.mts", "consumer-cjs.cts"]);
  tsconfig("tsconfig.bundler.json", "esnext", "bundler", ["consumer-bundler.ts"]);
  for (const [mode, builds] of [
    ["nodenext", ["esm", "cjs"]],
    ["node16", ["esm", "cjs"]],
    ["bundler", ["esm"]],
  ]) {
    const what = mode === "bundler" ? "a .ts consumer type-checks" : ".mts and .cts consumers type-check";
    await check(`tsc, module ${mode}: ${what} against the installed packages`, async () => {
      assert(existsSync(tsc), `no TypeScript at ${tsc}`);
      const { stdout } = await run(process.execPath, [tsc, "-p", `tsconfig.${mode}.json`, "--listFiles"], {
        cwd: app,
      });
      const files = stdout.split("\n");
      for (const name of names) {
        for (const build of builds) {
          const entry = `node_modules/${name}/dist/${build}/index.d.ts`;
          assert(
            files.some((file) => file.endsWith(entry)),
            `${entry} was not used`,
          );
        }
      }
    });
  }

  let secondInstalled = false;
  await check(`npm install ${SECOND_PROVIDER} next to ${FIRST_PROVIDER}`, async () => {
    await npmInstall(tarballs[SECOND_PROVIDER]);
    secondInstalled = true;
  });
  if (secondInstalled) {
    const second = packages.find((p) => p.dir === SECOND_PROVIDER).manifest.name;
    await check("one copy of common serves both providers", async () => {
      const { stdout } = await run("npm", ["ls", names[0], "--all", "--parseable", "--long"], { cwd: app });
      const copies = stdout.split("\n").filter((line) => line.includes(`${names[0]}@`));
      assert(copies.length === 1, `npm ls finds ${copies.length} copies:\n${stdout}`);
      const { stdout: tree } = await run("npm", ["ls", names[0], "--all"], { cwd: app });
      for (const provider of [names[1], second]) {
        assert(
          new RegExp(`${provider}@\\S+\\n[^\\n]*${names[0]}@\\S+ deduped`).test(tree),
          `${provider} does not show common deduped:\n${tree}`,
        );
      }
      writeFileSync(
        join(app, "dedupe.mjs"),
        `import { createRequire } from "node:module";
        const require = createRequire(import.meta.url);
        const from = (p) => require.resolve("${names[0]}", { paths: [require.resolve(p + "/package.json").replace(/package\\.json$/, "")] });
        const a = from("${names[1]}"), b = from("${second}");
        if (a !== b) throw new Error("two copies: " + a + " and " + b);
        `,
      );
      await run(process.execPath, ["dedupe.mjs"], { cwd: app });
    });
    // vSphere's vim25 declarations are a generated .d.ts copied beside the vim.js it types (not tsc's
    // output): pyVmomi's names must type as values and as types, nested ones too, from either condition.
    await check(`tsc and node: ${second}'s pyVmomi names type and run from import and require`, async () => {
      const uses = (vsphere) => `
        export const spec: ${vsphere}vim.vm.ConfigSpec = new ${vsphere}vim.vm.ConfigSpec({ memoryMB: 2048 });
        export const same: ${vsphere}vim.VirtualMachineConfigSpec = spec;
        export const state: ${vsphere}vim.TaskInfo.State = ${vsphere}vim.TaskInfo.State.success;
        export const backing: ${vsphere}vim.vm.device.VirtualDisk.FlatVer2BackingInfo =
          new ${vsphere}vim.vm.device.VirtualDisk.FlatVer2BackingInfo({ diskMode: "persistent" });
        export const filter: ${vsphere}vmodl.query.PropertyCollector.FilterSpec =
          new ${vsphere}vmodl.query.PropertyCollector.FilterSpec({});
        export const fault: ${vsphere}vim.fault.NotFound = new ${vsphere}vim.fault.NotFound({});
        export const power = (vm: ${vsphere}vim.VirtualMachine): Promise<${vsphere}vim.Task> => vm.PowerOn();
        // @ts-expect-error memoryMB is a number
        new ${vsphere}vim.vm.ConfigSpec({ memoryMB: "lots" });
        `;
      writeFileSync(join(app, "vsphere-esm.mts"), `import { vim, vmodl } from "${second}";\n${uses("")}`);
      writeFileSync(join(app, "vsphere-bundler.ts"), `import { vim, vmodl } from "${second}";\n${uses("")}`);
      writeFileSync(join(app, "vsphere-cjs.cts"), `import vsphere = require("${second}");\n${uses("vsphere.")}`);
      for (const [mode, files] of [
        ["nodenext", ["vsphere-esm.mts", "vsphere-cjs.cts"]],
        ["node16", ["vsphere-esm.mts", "vsphere-cjs.cts"]],
        ["bundler", ["vsphere-bundler.ts"]],
      ]) {
        tsconfig(`tsconfig.vsphere-${mode}.json`, mode === "bundler" ? "esnext" : mode, mode, files);
        await run(process.execPath, [tsc, "-p", `tsconfig.vsphere-${mode}.json`], { cwd: app });
      }
      const probe = `(v) => [new v.vim.vm.ConfigSpec({ memoryMB: 5 }).memoryMB, v.vim.TaskInfo.State.success,
        v.vmodl.query.PropertyCollector.FilterSpec === v.vim.PropertyFilterSpec].join(" ")`;
      writeFileSync(
        join(app, "vsphere-values.mjs"),
        `import * as esm from "${second}";
        import { createRequire } from "node:module";
        const cjs = createRequire(import.meta.url)("${second}");
        const read = ${probe};
        for (const v of [esm, cjs]) if (read(v) !== "5 success true") throw new Error("read " + read(v));
        if (esm.vim !== cjs.vim) throw new Error("import and require give two vim values");
        `,
      );
      await run(process.execPath, ["vsphere-values.mjs"], { cwd: app });
    });
  }
} catch (error) {
  record("packaging test could not go on", false, error?.message ?? String(error));
} finally {
  if (process.env.NIMBUS_KEEP_PACKAGING === "1") process.stdout.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.pass);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  failed.length
    ? `packaging test: ${failed.length} of ${results.length} checks FAILED (${seconds} s): ${failed.map((r) => r.name).join("; ")}\n`
    : `packaging test: all ${results.length} checks passed (${seconds} s)\n`,
);
process.exit(failed.length ? 1 : 0);
