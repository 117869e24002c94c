import { execFileSync } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import {
  AuthenticationError,
  HttpError,
  NimbusError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
  errorClassForStatus,
} from "../src/index.js";

describe("errors", () => {
  it("maps statuses to classes", () => {
    expect(errorClassForStatus(401)).toBe(AuthenticationError);
    expect(errorClassForStatus(404)).toBe(NotFoundError);
    expect(errorClassForStatus(429)).toBe(RateLimitError);
    expect(errorClassForStatus(503)).toBe(ServerError);
    expect(errorClassForStatus(418)).toBe(HttpError);
  });

  it("carries the context and names the class", () => {
    const error = new NotFoundError("GET /x failed", {
      method: "GET",
      url: "http://h/x",
      status: 404,
      requestId: "r1",
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(NimbusError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.name).toBe("NotFoundError");
    expect(error.toJSON()).toMatchObject({ status: 404, requestId: "r1", method: "GET" });
    expect(new ValidationError("bad", { field: "name" }).field).toBe("name");
  });

  it("keeps instanceof across two copies of the package, and import and require share one", () => {
    // jest's module sandbox would hide the copies' identity, so they meet in a plain node process.
    // Two versions of common installed side by side are two copies: here the built package loaded
    // twice, its module cache emptied in between.
    const script = `
      import { createRequire } from "node:module";
      import * as esm from "@nimbus-sdk/common";
      const require = createRequire(import.meta.url);
      const one = require("@nimbus-sdk/common");
      const dist = require.resolve("@nimbus-sdk/common").replace(/index\\.js$/, "");
      for (const file of Object.keys(require.cache)) if (file.startsWith(dist)) delete require.cache[file];
      const two = require("@nimbus-sdk/common");
      console.log(JSON.stringify([
        one.NimbusError === esm.NimbusError,
        one.NimbusError === two.NimbusError,
        new two.NotFoundError("x") instanceof one.NotFoundError,
        new two.NotFoundError("x") instanceof one.NimbusError,
        new one.NotFoundError("x") instanceof two.HttpError,
        new two.ConfigError("x") instanceof one.HttpError,
        new one.ConfigError("x") instanceof two.NotFoundError,
      ]));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([true, false, true, true, true, false, false]);
  });

  it("lets a provider subclass join the brand", () => {
    class OneNoExistsException extends NotFoundError {
      static override readonly errorKind = "test:OneNoExistsException";
    }
    const e = new OneNoExistsException("no vm 7");
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e).toBeInstanceOf(OneNoExistsException);
    expect(new NotFoundError("x")).not.toBeInstanceOf(OneNoExistsException);
  });
});
