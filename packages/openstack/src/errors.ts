// pyrax's exception names (pyrax.exceptions), each extending the matching class of common, so
// `catch (e) { if (e instanceof exc.NotFound) … }` and `e instanceof NotFoundError` both work.
import {
  AuthenticationError,
  BadRequestError,
  ConfigError,
  ConflictError,
  ForbiddenError,
  HttpError,
  NimbusError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
  errorClassForStatus,
  type ErrorMapper,
  type FailedResponse,
} from "@nimbus-sdk/common";

const kind = (name: string) => `@nimbus-sdk/openstack:${name}`;

/** Wrong credentials, or the identity service refused them. */
export class AuthenticationFailed extends AuthenticationError {
  static override readonly errorKind: string = kind("AuthenticationFailed");
}
/** No valid token: not authenticated yet, or a token from `authWithToken` expired. */
export class NotAuthenticated extends AuthenticationError {
  static override readonly errorKind: string = kind("NotAuthenticated");
}
export class Forbidden extends ForbiddenError {
  static override readonly errorKind: string = kind("Forbidden");
}
export class NotFound extends NotFoundError {
  static override readonly errorKind: string = kind("NotFound");
}
export class NoSuchContainer extends NotFound {
  static override readonly errorKind: string = kind("NoSuchContainer");
}
export class NoSuchObject extends NotFound {
  static override readonly errorKind: string = kind("NoSuchObject");
}
export class NoSuchImage extends NotFound {
  static override readonly errorKind: string = kind("NoSuchImage");
}
export class BadRequest extends BadRequestError {
  static override readonly errorKind: string = kind("BadRequest");
}
export class Conflict extends ConflictError {
  static override readonly errorKind: string = kind("Conflict");
}
export class OverLimit extends RateLimitError {
  static override readonly errorKind: string = kind("OverLimit");
}
export class ServiceNotAvailable extends ServerError {
  static override readonly errorKind: string = kind("ServiceNotAvailable");
}
/** Any other failed HTTP call (pyrax's ClientException). */
export class ClientException extends HttpError {
  static override readonly errorKind: string = kind("ClientException");
}
export class InvalidSetting extends ConfigError {
  static override readonly errorKind: string = kind("InvalidSetting");
}
export class EnvironmentNotFound extends ConfigError {
  static override readonly errorKind: string = kind("EnvironmentNotFound");
}
export class InvalidCredentialFile extends ConfigError {
  static override readonly errorKind: string = kind("InvalidCredentialFile");
}
export class FileNotFound extends ConfigError {
  static override readonly errorKind: string = kind("FileNotFound");
}
/** The catalog has no such service. */
export class NoEndpointForService extends ConfigError {
  static override readonly errorKind: string = kind("NoEndpointForService");
}
/** The service has no endpoint in that region. */
export class NoEndpointForRegion extends ConfigError {
  static override readonly errorKind: string = kind("NoEndpointForRegion");
}
export class KeyringUsernameMissing extends ConfigError {
  static override readonly errorKind: string = kind("KeyringUsernameMissing");
}
export class KeyringPasswordNotFound extends ConfigError {
  static override readonly errorKind: string = kind("KeyringPasswordNotFound");
}
export class InvalidContainerName extends ValidationError {
  static override readonly errorKind: string = kind("InvalidContainerName");
}
/** An upload did not complete; nothing was reported as stored. */
export class UploadFailed extends NimbusError {
  static override readonly errorKind: string = kind("UploadFailed");
}
/** The object's content does not match the checksum the server or the caller gave. */
export class ChecksumMismatch extends NimbusError {
  static override readonly errorKind: string = kind("ChecksumMismatch");
}
/** The cloud has no CDN (only Rackspace's has). */
export class NotCDNEnabled extends NimbusError {
  static override readonly errorKind: string = kind("NotCDNEnabled");
}
/** A pyrax service this package does not implement yet. */
export class NotImplementedYet extends NimbusError {
  static override readonly errorKind: string = kind("NotImplementedYet");
}

function classFor(status: number): new (message: string, options: object) => NimbusError {
  const base = errorClassForStatus(status);
  if (base === AuthenticationError) return AuthenticationFailed;
  if (base === ForbiddenError) return Forbidden;
  if (base === NotFoundError) return NotFound;
  if (base === BadRequestError) return BadRequest;
  if (base === ConflictError) return Conflict;
  if (base === RateLimitError) return OverLimit;
  if (status === 503) return ServiceNotAvailable;
  if (base === ServerError) return ServerError;
  return ClientException;
}

/** The server's own explanation: Keystone/Nova JSON (`{"error": {"message"}}`, `{"itemNotFound": …}`), or text. */
export function serverMessage(response: Pick<FailedResponse, "body" | "headers" | "bodyExcerpt">): string {
  const body = response.body.trim();
  if (body.startsWith("{")) {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      for (const value of Object.values(parsed)) {
        if (value && typeof value === "object" && "message" in value) return String(value.message);
      }
      if (typeof parsed.message === "string") return parsed.message;
    } catch {
      // fall through to the excerpt
    }
  }
  // Swift and Glance answer in short HTML or plain text ("404 Not Found\n\nThe resource could not be found.").
  if (/^(<html|\d{3} )/i.test(body) && body.length < 2000) {
    return body
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 300);
  }
  return response.bodyExcerpt;
}

/** Maps a failed OpenStack response to pyrax's exception classes. */
export const mapOpenStackError: ErrorMapper = (response) => {
  const ErrorClass = classFor(response.status);
  const message = serverMessage(response);
  const context = {
    method: response.method,
    url: response.url,
    status: response.status,
    requestId: response.requestId,
    bodyExcerpt: response.bodyExcerpt,
    ...(ErrorClass === OverLimit ? { retryAfterMs: response.retryAfterMs } : {}),
  };
  return new ErrorClass(
    `${response.method} ${response.url} failed with ${response.status}${message ? `: ${message}` : ""}` +
      (response.requestId ? ` (request id ${response.requestId})` : ""),
    context,
  );
};

/** A lookup by name matched more than one resource (pyrax's NoUniqueMatch); `matches` holds their ids. */
export class NoUniqueMatch extends NimbusError {
  static override readonly errorKind: string = kind("NoUniqueMatch");
  readonly matches: string[];
  constructor(message: string, options: { matches: string[] }) {
    super(message);
    this.matches = options.matches;
  }
}

/** While waiting for a status, the resource reached one it never leaves (an image killed or deleted …). */
export class UnexpectedStatus extends NimbusError {
  static override readonly errorKind: string = kind("UnexpectedStatus");
  readonly resourceId: string;
  readonly resourceStatus: string;
  constructor(message: string, options: { resourceId: string; resourceStatus: string }) {
    super(message);
    this.resourceId = options.resourceId;
    this.resourceStatus = options.resourceStatus;
  }
}

/** An object name Swift cannot store or that cannot be addressed in a URL. */
export class InvalidObjectName extends ValidationError {
  static override readonly errorKind: string = kind("InvalidObjectName");
}
/** Temp URLs need the account's `X-Account-Meta-Temp-Url-Key`; `setTempUrlKey()` sets it. */
export class MissingTemporaryURLKey extends ConfigError {
  static override readonly errorKind: string = kind("MissingTemporaryURLKey");
}
export class InvalidTemporaryURLMethod extends ValidationError {
  static override readonly errorKind: string = kind("InvalidTemporaryURLMethod");
}
/** A local folder to upload, sync or download into does not exist (a FileNotFound too). */
export class FolderNotFound extends FileNotFound {
  static override readonly errorKind: string = kind("FolderNotFound");
}
/** Only X-Log-Retention, X-CDN-Enabled and X-TTL can be set on a CDN container. */
export class InvalidCDNMetadata extends ValidationError {
  static override readonly errorKind: string = kind("InvalidCDNMetadata");
}

type MappedErrorClass = new (message: string, options: ConstructorParameters<typeof NimbusError>[1]) => NimbusError;

/** Runs `work`; a 404 becomes `ErrorClass` with `message`, keeping the HTTP context. */
export async function notFoundAs<T>(work: Promise<T>, ErrorClass: MappedErrorClass, message: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const alreadyMapped = (error as object) instanceof ErrorClass;
    if (error instanceof NotFoundError && !alreadyMapped) {
      throw new ErrorClass(message, { ...error.context, cause: error });
    }
    throw error;
  }
}
