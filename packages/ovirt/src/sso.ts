// The engine's single sign-on: a password grant at /ovirt-engine/sso/oauth/token (scope ovirt-app-api)
// gives a bearer token, which has no refresh token: on a 401 the token is fetched again, once, and the
// request retried (as the Python and Ruby SDKs do). Logout revokes it at /ovirt-engine/services/sso-logout.
// Kerberos (the token-http-auth grant) is out of scope.
import { NimbusError, ParseError, Transport, type AuthStep, type NimbusResponse } from "@nimbus-sdk/common";
import { AuthError } from "./errors.js";

/** The credentials {@link API.connect} logs in with: user name and password for the SSO, or a token. */
export interface SsoOptions {
  /** `admin@internal`. */
  username?: string;
  password?: string;
  /** A token obtained elsewhere; it cannot be renewed, so a 401 ends in AuthError. */
  token?: string;
  /** The token endpoint (default: the API URL's `/ovirt-engine` followed by `/sso/oauth/token`). */
  ssoUrl?: string;
  /** The revocation endpoint (default: `/ovirt-engine/services/sso-logout`). */
  ssoRevokeUrl?: string;
}

const SCOPE = "ovirt-app-api";

/** The SSO's JSON answer: a token, or one of its two error shapes (also wrapped in an array by some engines). */
interface SsoAnswer {
  access_token?: string;
  error?: string;
  error_description?: string;
  error_code?: string;
}

/** `https://engine/ovirt-engine/api` -> `https://engine/ovirt-engine` + `suffix`. */
export function engineUrl(apiUrl: URL, suffix: string): string {
  const url = new URL(apiUrl);
  const at = url.pathname.search(/\/api(\/v\d+)?\/?$/);
  const prefix = at >= 0 ? url.pathname.slice(0, at) : "/ovirt-engine";
  url.pathname = `${prefix}${suffix}`;
  url.search = "";
  return url.href;
}

export class SsoAuth {
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly username?: string;
  readonly #password?: string;
  #token?: string;
  #transport?: Transport;

  constructor(apiUrl: URL, options: SsoOptions) {
    this.tokenUrl = options.ssoUrl ?? engineUrl(apiUrl, "/sso/oauth/token");
    this.revokeUrl = options.ssoRevokeUrl ?? engineUrl(apiUrl, "/services/sso-logout");
    this.username = options.username;
    this.#password = options.password;
    this.#token = options.token;
  }

  /** The transport the SSO requests go through (the API's settings and pool, without the auth step). */
  useTransport(transport: Transport): void {
    this.#transport = transport;
  }

  /** Whether a new token can be fetched without the user (a password was given). */
  get canRenew(): boolean {
    return this.username !== undefined && this.#password !== undefined;
  }

  readonly step: AuthStep = {
    authorize: async (request, { signal }) => {
      this.#token ??= await this.login({ signal });
      request.headers.authorization = `Bearer ${this.#token}`;
    },
    reauthenticate: async ({ signal }) => {
      if (!this.canRenew) return false;
      this.#token = await this.login({ signal });
      return true;
    },
  };

  /** Fetches a token with the password grant. */
  async login(options: { signal?: AbortSignal } = {}): Promise<string> {
    if (!this.canRenew) {
      throw new AuthError("no credentials: give a username and a password, or a token");
    }
    const body = new URLSearchParams({
      grant_type: "password",
      scope: SCOPE,
      username: this.username!,
      password: this.#password!,
    }).toString();
    const response = await this.#post(this.tokenUrl, body, options.signal);
    return ssoToken(await response.text(), response.status, this.tokenUrl, this.username);
  }

  /** Revokes the token held (best effort is the caller's choice) and forgets it. */
  async logout(options: { signal?: AbortSignal } = {}): Promise<void> {
    const token = this.#token;
    this.#token = undefined;
    if (token === undefined) return;
    const body = new URLSearchParams({ scope: SCOPE, token }).toString();
    const response = await this.#post(this.revokeUrl, body, options.signal);
    await response.dump();
  }

  async #post(url: string, body: string, signal: AbortSignal | undefined): Promise<NimbusResponse> {
    if (!this.#transport) throw new NimbusError("the SSO has no transport yet");
    return this.#transport.request({
      method: "POST",
      url,
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      signal,
      // The SSO answers refusals with 400 or 401 and a JSON error; they are read, not thrown as such.
      okStatuses: [400, 401, 403],
      idempotent: false,
    });
  }
}

/**
 * The token in the SSO's answer to a password grant, or the AuthError of its refusal in either of the
 * SSO's error shapes (`error_code` + `error`, or `error` + `error_description`), naming the user.
 */
export function ssoToken(text: string, status: number, url: string, username?: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ParseError(
      `POST ${url}: the SSO answered ${status} with something that is not JSON; is this an oVirt engine?`,
      {
        method: "POST",
        url,
        status,
      },
    );
  }
  const answer: SsoAnswer = (Array.isArray(parsed) ? parsed[0] : parsed) ?? {};
  if (typeof answer.access_token === "string" && answer.access_token) return answer.access_token;
  const why = answer.error_description ?? answer.error ?? `status ${status} without a token`;
  const code = answer.error_code ?? (answer.error_description ? answer.error : undefined);
  throw new AuthError(`the engine's SSO refused the credentials of ${username ?? "the user"}: ${why}`, {
    method: "POST",
    url,
    status,
    code,
  });
}
