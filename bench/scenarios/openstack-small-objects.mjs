// 1000 small objects put into a fresh container at concurrency 10, against one real Swift: ours
// (cf.storeObject) beside pkgcloud 2.2.0 and python-swiftclient (Debian), with bare undici requests
// as the floors. The single-process Swift on the same 2 cores is the bottleneck, so the clients' own CPU
// cost (the CPU column) says more about them than the throughput does.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureDebianPackages } from "@nimbus-sdk/common/testing";
import { Agent, request } from "undici";
import {
  DEBIAN_PYTHON,
  debianVersion,
  eachLimited,
  pkgcloudStorage,
  signedInPyrax,
  startCloud,
  timed,
} from "../lib/openstack.mjs";
import { lastJsonLine, runChild } from "../lib/child.mjs";
import { packageVersion } from "../lib/versions.mjs";

const COUNT = 1000;
const CONCURRENCY = 10;
const SIZE = 1024;
const CONTENT_TYPE = "application/octet-stream";
const PYTHON_SCRIPT = fileURLToPath(new URL("../lib/swiftclient-put.py", import.meta.url));

const objectName = (i) => `obj-${String(i).padStart(6, "0")}.bin`;

let containers = 0;
const freshContainer = (variant) => `bench-${variant}-${++containers}`;

function pkgcloudCall(fn) {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));
}

/** pkgcloud's upload: a writable stream that emits `success` with the File model (after its HEAD). */
function pkgcloudUpload(client, container, remote, data) {
  return new Promise((resolve, reject) => {
    const stream = client.upload({ container, remote, contentType: CONTENT_TYPE });
    stream.on("success", resolve);
    stream.on("error", reject);
    stream.end(data);
  });
}

/** Bare undici `request` PUTs (and, with `head`, a HEAD after each, as ours and pkgcloud do). */
async function bareUpload(state, variant, head) {
  const container = freshContainer(variant);
  const base = `${state.storageUrl}${encodeURIComponent(container)}`;
  const send = async (method, url, body, expected) => {
    const headers = { "x-auth-token": state.token };
    if (body) Object.assign(headers, { "content-type": CONTENT_TYPE, "content-length": String(body.length) });
    const { statusCode, body: answer } = await request(url, { method, headers, body, dispatcher: state.agent });
    await answer.dump();
    if (!expected.includes(statusCode)) throw new Error(`${method} ${url}: status ${statusCode}`);
  };
  await send("PUT", base, undefined, [201, 202]);
  const report = await timed(() =>
    eachLimited(COUNT, CONCURRENCY, async (i) => {
      await send("PUT", `${base}/${objectName(i)}`, state.payloads[i], [201]);
      if (head) await send("HEAD", `${base}/${objectName(i)}`, undefined, [200]);
    }),
  );
  state.stored += COUNT;
  return report;
}

export default {
  name: "openstack-small-objects",
  title: `${COUNT} small objects uploaded at concurrency ${CONCURRENCY} to a real Swift`,
  description:
    `One operation: ${COUNT} objects of ${SIZE} random bytes put into a fresh container, ${CONCURRENCY} at a time, ` +
    "timed from the first PUT to the last answer (signing in and creating the container are not timed). " +
    "All variants talk to the same Debian Swift 2.30 (Keystone v3 auth, one eventlet process per server, " +
    "memcached) on 127.0.0.1, started once by @nimbus-sdk/openstack/testing; the servers share the 2 cores with " +
    "the client, so Swift's proxy and object server are the bottleneck and throughput differences between clients " +
    "are small: read the CPU column (the client's own user + system time per operation) for the clients' cost. " +
    "Requests per object: ours `cf.storeObject` = PUT (Content-Length, ETag = MD5, Content-Type) only: the " +
    "StorageObject it returns is built from the 201's ETag and Last-Modified and what was sent (a HEAD only when " +
    "the server decides, e.g. no content type sent), and with `returnNone` (pyrax's return_none) the same PUT; pkgcloud `client.upload` = chunked PUT + HEAD (its `success` File model); python-swiftclient " +
    `\`Connection.put_object\` from a ThreadPool(${CONCURRENCY}), one Connection per thread, run as a /usr/bin/python3 ` +
    "child that times itself = PUT only; bare undici `request` = PUT only, and PUT + HEAD (no SDK: the floors " +
    "for each pattern).",
  baseline: "pkgcloud 2.2.0",
  goals: [
    {
      variant: "ours (storeObject)",
      minThroughputRatio: 1.3,
      text: "at least 1.3x pkgcloud's objects/s (issue), returning each stored object as pkgcloud does",
    },
    {
      variant: "ours (storeObject, returnNone)",
      minThroughputRatio: 1.3,
      text: "the same goal with pyrax's return_none (no read-back HEAD)",
    },
  ],
  work: { perOp: COUNT, unit: "objects" },
  // About 5-7 s per variant and round: 6 variants x (1 + 3) rounds is about 3 minutes.
  warmupRounds: 1,
  rounds: 3,
  opsPerRound: 1,

  versions() {
    return {
      "@nimbus-sdk/openstack": packageVersion(import.meta.url, "@nimbus-sdk/openstack"),
      pkgcloud: packageVersion(import.meta.url, "pkgcloud"),
      undici: packageVersion(import.meta.url, "undici"),
      "python3-swiftclient (Debian)": this.swiftclientVersion ?? "unknown",
      "python3-swift (Debian, server)": this.swiftVersion ?? "unknown",
    };
  },

  async setup() {
    // swiftclient comes with the server's packages on most set-ups; install it alone if not (root only).
    ensureDebianPackages(["python3-swiftclient"]);
    if (!existsSync(DEBIAN_PYTHON)) throw new Error(`${DEBIAN_PYTHON} is missing: python-swiftclient cannot run`);
    this.swiftclientVersion = await debianVersion("python3-swiftclient");
    this.swiftVersion = await debianVersion("python3-swift");

    const { server, startMs } = await startCloud();
    try {
      const pyrax = await signedInPyrax(server);
      const cf = pyrax.cloudfiles;
      const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
      return {
        server,
        startMs,
        pyrax,
        cf,
        pkgcloud: pkgcloudStorage(server),
        agent,
        storageUrl: cf.endpoint.href.replace(/\/?$/, "/"),
        token: pyrax.identity.token,
        payloads: Array.from({ length: COUNT }, () => randomBytes(SIZE)),
        stored: 0,
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },

  variants: {
    "ours (storeObject)": async (state) => {
      const container = freshContainer("ours");
      await state.cf.createContainer(container);
      const report = await timed(() =>
        eachLimited(COUNT, CONCURRENCY, (i) =>
          state.cf.storeObject(container, objectName(i), state.payloads[i], { contentType: CONTENT_TYPE }),
        ),
      );
      state.stored += COUNT;
      return report;
    },

    "ours (storeObject, returnNone)": async (state) => {
      const container = freshContainer("ours-none");
      await state.cf.createContainer(container);
      const report = await timed(() =>
        eachLimited(COUNT, CONCURRENCY, (i) =>
          state.cf.storeObject(container, objectName(i), state.payloads[i], {
            contentType: CONTENT_TYPE,
            returnNone: true,
          }),
        ),
      );
      state.stored += COUNT;
      return report;
    },

    "pkgcloud 2.2.0": async (state) => {
      const container = freshContainer("pkgcloud");
      await pkgcloudCall((done) => state.pkgcloud.createContainer(container, done));
      const report = await timed(() =>
        eachLimited(COUNT, CONCURRENCY, (i) =>
          pkgcloudUpload(state.pkgcloud, container, objectName(i), state.payloads[i]),
        ),
      );
      state.stored += COUNT;
      return report;
    },

    "python-swiftclient (Debian)": async (state) => {
      const c = state.server.credentials;
      const settings = {
        authUrl: state.server.url,
        username: c.username,
        password: c.password,
        projectName: c.projectName,
        userDomainName: c.userDomainName,
        projectDomainName: c.projectDomainName,
        region: state.server.region,
        container: freshContainer("swiftclient"),
        count: COUNT,
        size: SIZE,
        concurrency: CONCURRENCY,
      };
      const output = await runChild(DEBIAN_PYTHON, [PYTHON_SCRIPT], { input: JSON.stringify(settings) });
      const report = lastJsonLine(output);
      if (report.objects !== COUNT) throw new Error(`swiftclient put ${report.objects} objects, not ${COUNT}`);
      state.stored += COUNT;
      return { elapsedUs: report.elapsedUs, cpuUs: report.cpuUs };
    },

    "undici PUT (no SDK)": (state) => bareUpload(state, "undici", false),
    "undici PUT + HEAD (no SDK)": (state) => bareUpload(state, "undicihead", true),
  },

  async teardown(state) {
    if (!state) return undefined;
    try {
      // Every variant's objects are there: the containers' counts (HEAD; the account listing's
      // counts stay 0 without Swift's updater daemons) add up to what was put.
      let listed = 0;
      for (const name of await state.cf.listContainerNames()) {
        if (name.startsWith("bench-")) listed += (await state.cf.getContainer(name)).objectCount ?? 0;
      }
      await Promise.allSettled([state.pyrax.close(), state.agent.close()]);
      return {
        serverStartSeconds: Math.round(state.startMs / 100) / 10,
        objectsPut: state.stored,
        objectsListed: listed,
        objectBytes: SIZE,
      };
    } finally {
      await state.server.stop();
    }
  },
};
