// Every bad input the issue lists, against the simulator: each is a typed error whose message names
// the problem (and, for the server's refusals, carries its {"error": ...} text).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { BadRequestError, ConnectionError, NotFoundError, ValidationError } from "@nimbus-sdk/common";
import {
  ObjectNotFound,
  ReadOnlyField,
  ReadOnlyResource,
  Tutum,
  TutumApiError,
  TutumAuthError,
  TutumBadRequest,
  TutumConnectionError,
  UnknownField,
} from "../src/index.js";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

let server: TutumTestServer;
let tutum: Tutum;

const failure = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );

beforeAll(async () => {
  server = await startServer({ transitionMs: 50 });
  tutum = new Tutum({ ...server.credentials, base_url: server.url, env: {}, configPath: "/nonexistent/.tutum" });
});
afterAll(async () => {
  await tutum.close();
  await server.stop();
});

describe("bad input", () => {
  it("no credentials anywhere", async () => {
    const nobody = new Tutum({ base_url: server.url, env: {}, configPath: "/nonexistent/.tutum" });
    const err = await failure(nobody.Application.list());
    expect(err).toBeInstanceOf(TutumAuthError);
    expect(err.message).toMatch(
      /^no Tutum credentials: set tutum.user and tutum.apikey in code, or put user and apikey/,
    );
  });

  it("a wrong key (401)", async () => {
    const wrong = new Tutum({ user: server.credentials.user, apikey: "0".repeat(40), base_url: server.url, env: {} });
    const err = await failure(wrong.Application.list());
    expect(err).toBeInstanceOf(TutumAuthError);
    expect((err as TutumAuthError).status).toBe(401);
    await wrong.close();
  });

  it("an unknown uuid (404)", async () => {
    const uuid = "00000000-0000-4000-8000-000000000000";
    const err = await failure(tutum.Application.fetch(uuid));
    expect(err).toBeInstanceOf(ObjectNotFound);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toBeInstanceOf(TutumApiError);
    expect(err.message).toMatch(new RegExp(`^no Application with uuid '${uuid}': Status 404 \\(GET .*\\): .+`));
  });

  it("an action in the wrong state (400), with the server's reason", async () => {
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "early" });
    const release = server.hold();
    await app.save();
    expect(app.state).toBe("Starting");
    const err = await failure(app.stop());
    expect(err).toBeInstanceOf(TutumBadRequest);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message).toContain("Cannot stop application 'early': it is not in a suitable state (Starting)");
    release();
  });

  it("a value the server rejects (400), with its reason", async () => {
    const app = tutum.Application.create({ image: "not a valid image!", name: "bad-image" });
    const err = await failure(app.save());
    expect(err).toBeInstanceOf(TutumBadRequest);
    expect(err.message).toContain("Field 'image' is not a valid Docker image name");
  });

  it("a field the resource does not have, or one only the server sets: refused before sending", async () => {
    const app = tutum.Application.create({ image: "tutum/hello-world" });
    expect(() => Object.assign(app, { target_num_container: 2 })).toThrow(UnknownField);
    expect(() => Object.assign(app, { target_num_container: 2 })).toThrow("did you mean 'target_num_containers'?");
    expect(() => Object.assign(app, { state: "Running" })).toThrow(ReadOnlyField);
    const err = (() => {
      try {
        Object.assign(app, { colour: "red" });
      } catch (e) {
        return e as UnknownField;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect(err?.field).toBe("colour");
  });

  it("save() or delete() on a read-only resource", async () => {
    const [action] = await tutum.Action.list({}, { limit: 1 });
    const err = await failure(action!.save());
    expect(err).toBeInstanceOf(ReadOnlyResource);
    expect(err.message).toBe("Action objects are read-only: save() is not supported; nothing was sent");
    await expect(action!.delete()).rejects.toThrow(
      "Action objects cannot be deleted through the API; nothing was sent",
    );
    expect(() => tutum.Region.create({} as never)).toThrow(
      "Region objects cannot be created through the API (read-only resource)",
    );
  });

  it("a server that is down", async () => {
    const down = await startServer();
    const client = new Tutum({ ...down.credentials, base_url: down.url, env: {}, retry: { limit: 0 } });
    await down.stop();
    const err = await failure(client.Provider.list());
    expect(err).toBeInstanceOf(TutumConnectionError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(
      /^No response: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/provider\/: cannot reach the server \(ECONNREFUSED\)/,
    );
    await client.close();
  });
});
