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

  it("keeps instanceof across the ESM and CommonJS builds of the package", () => {
    // jest cannot load ESM through require(), so the two builds meet in a plain node process.
    const script = `
      import { createRequire } from "node:module";
      import * as esm from "@nimbus-sdk/common";
      const cjs = createRequire(import.meta.url)("@nimbus-sdk/common");
      console.log(JSON.stringify([
        cjs.NimbusError === esm.NimbusError,
        new cjs.NotFoundError("x") instanceof esm.NotFoundError,
        new cjs.NotFoundError("x") instanceof esm.NimbusError,
        new esm.NotFoundError("x") instanceof cjs.HttpError,
        new cjs.ConfigError("x") instanceof esm.HttpError,
        new esm.ConfigError("x") instanceof cjs.NotFoundError,
      ]));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([false, true, true, true, false, false]);
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
