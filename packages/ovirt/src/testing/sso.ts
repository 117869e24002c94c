// The engine's SSO as its REST clients see it: the password grant at /ovirt-engine/sso/oauth/token
// (form parameters, `Accept: application/json`, JSON answers with `access_token`, or
// `error_code`/`error` with HTTP 400), the logout that revokes a token, and the bearer check of the
// API. Tokens can be expired on demand so a client's one renewal on 401 can be tested.
import { randomBytes } from "node:crypto";

export const API_SCOPE = "ovirt-app-api";
/** The scopes the engine's SSO adds to `ovirt-app-api` (its declared dependencies). */
const GRANTED_SCOPE = [
  API_SCOPE,
  "ovirt-ext=token-info:authz-search",
  "ovirt-ext=token-info:public-authz-search",
  "ovirt-ext=token-info:validate",
  "ovirt-ext=token:password-access",
].join(" ");

export interface SsoReply {
  status: number;
  body: Record<string, unknown> | "";
}

interface Token {
  scopes: string[];
  expiresAt: number;
}

export type BearerCheck = "ok" | "missing" | "invalid";

export class Sso {
  readonly #tokens = new Map<string, Token>();
  #issued = 0;
  #revoked = 0;

  constructor(
    readonly username: string,
    private readonly password: string,
    private readonly lifetimeMs: number,
  ) {}

  /** Tokens handed out so far (a client that renews once on 401 asks twice). */
  get issued(): number {
    return this.#issued;
  }

  /** Tokens revoked by a logout. */
  get revoked(): number {
    return this.#revoked;
  }

  /** Tokens currently valid. */
  get active(): number {
    const now = Date.now();
    return [...this.#tokens.values()].filter((t) => t.expiresAt > now).length;
  }

  /** Ends every current session, as an engine restart or an idle timeout does. */
  expireAll(): void {
    this.#tokens.clear();
  }

  /** POST /ovirt-engine/sso/oauth/token. */
  token(params: URLSearchParams, accept: string | undefined): SsoReply {
    const error = (code: string, message: string): SsoReply => ({
      status: 400,
      body: { error_code: code, error: message },
    });
    const missing = (name: string) => error("invalid_request", `Missing parameter: '${name}'`);
    const grantType = params.get("grant_type");
    if (grantType === null) return missing("grant_type");
    // The SSO compares the header as a whole, as the oVirt SDKs send it.
    if (accept?.trim() !== "application/json") return missing("Accept Header");
    if (grantType !== "password") {
      return error(
        "unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server.",
      );
    }
    const user = params.get("username");
    if (user === null) return missing("username");
    const password = params.get("password");
    if (password === null) return missing("password");
    const scopes = (params.get("scope") ?? "").split(/\s+/).filter(Boolean);
    const at = user.lastIndexOf("@");
    const [name, profile] = at < 0 ? [user, "N/A"] : [user.slice(0, at), user.slice(at + 1)];
    const expectedProfile = this.username.slice(this.username.lastIndexOf("@") + 1);
    if (profile !== expectedProfile) {
      const why = at < 0 ? "No profile found in credentials." : "No valid profile found in credentials.";
      return error("access_denied", `Cannot authenticate user '${name}@${profile}': ${why}.`);
    }
    if (user !== this.username || password !== this.password) {
      // The engine's message ends in two periods (a sentence inside a sentence).
      return error(
        "access_denied",
        `Cannot authenticate user '${name}@${profile}': Unable to log in. Verify your login information or contact the system administrator..`,
      );
    }
    const token = randomBytes(48).toString("base64url");
    const expiresAt = Date.now() + this.lifetimeMs;
    this.#tokens.set(token, { scopes: scopes.includes(API_SCOPE) ? GRANTED_SCOPE.split(" ") : scopes, expiresAt });
    this.#issued++;
    return {
      status: 200,
      body: {
        access_token: token,
        scope: scopes.includes(API_SCOPE) ? GRANTED_SCOPE : scopes.join(" "),
        exp: String(expiresAt),
        token_type: "bearer",
      },
    };
  }

  /** POST /ovirt-engine/services/sso-logout: revokes the token; unknown tokens are not an error. */
  logout(params: URLSearchParams): SsoReply {
    const token = params.get("token");
    if (token !== null && this.#tokens.delete(token)) this.#revoked++;
    return { status: 200, body: "" };
  }

  /** The API's check of `Authorization`: a live bearer token with the API scope, or Basic credentials. */
  check(authorization: string | undefined): BearerCheck {
    if (!authorization?.trim()) return "missing";
    const [scheme = "", value = ""] = authorization.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "bearer") {
      const token = this.#tokens.get(value);
      if (!token || token.expiresAt <= Date.now()) {
        this.#tokens.delete(value);
        return "invalid";
      }
      return token.scopes.includes(API_SCOPE) ? "ok" : "invalid";
    }
    if (scheme.toLowerCase() === "basic") {
      // Deprecated by the engine but still accepted.
      const decoded = Buffer.from(value, "base64").toString("utf8");
      return decoded === `${this.username}:${this.password}` ? "ok" : "invalid";
    }
    return "invalid";
  }
}
