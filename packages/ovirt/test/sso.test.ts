// The SSO's answers: a token, and both of its refusal shapes.
import { describe, expect, it } from "@jest/globals";
import { ParseError } from "@nimbus-sdk/common";
import { AuthError } from "../src/index.js";
import { engineUrl, ssoToken } from "../src/sso.js";

const URL_ = "https://engine/ovirt-engine/sso/oauth/token";

describe("the SSO", () => {
  it("gives the token of a grant (also in the array some engines answer)", () => {
    expect(ssoToken('{"access_token":"abc","scope":"ovirt-app-api","exp":"1"}', 200, URL_)).toBe("abc");
    expect(ssoToken('[{"access_token":"abc"}]', 200, URL_)).toBe("abc");
  });

  it("turns the error_code + error shape into AuthError", () => {
    const text =
      '{"error_code":"access_denied","error":"Cannot authenticate user \'admin@internal\': wrong password."}';
    const error = (() => {
      try {
        return ssoToken(text, 401, URL_, "admin@internal");
      } catch (e) {
        return e;
      }
    })() as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(
      "the engine's SSO refused the credentials of admin@internal: Cannot authenticate user 'admin@internal': wrong password.",
    );
    expect(error).toMatchObject({ code: "access_denied", status: 401, url: URL_ });
  });

  it("turns the error + error_description shape into AuthError", () => {
    const text = '{"error":"invalid_grant","error_description":"The provided authorization grant is invalid."}';
    expect(() => ssoToken(text, 400, URL_, "bob@internal")).toThrow(
      new AuthError(
        "the engine's SSO refused the credentials of bob@internal: The provided authorization grant is invalid.",
      ),
    );
    expect(() => ssoToken(text, 400, URL_)).toThrow(expect.objectContaining({ code: "invalid_grant" }));
  });

  it("refuses an answer that is not JSON, or has no token", () => {
    expect(() => ssoToken("<html>login</html>", 200, URL_)).toThrow(ParseError);
    expect(() => ssoToken("{}", 200, URL_)).toThrow(/status 200 without a token/);
  });

  it("finds the SSO beside the API", () => {
    expect(engineUrl(new URL("https://engine/ovirt-engine/api"), "/sso/oauth/token")).toBe(URL_);
    expect(engineUrl(new URL("https://engine/ovirt-engine/api/v4/"), "/services/sso-logout")).toBe(
      "https://engine/ovirt-engine/services/sso-logout",
    );
    expect(engineUrl(new URL("https://engine:8443/custom/api"), "/sso/oauth/token")).toBe(
      "https://engine:8443/custom/sso/oauth/token",
    );
  });
});
