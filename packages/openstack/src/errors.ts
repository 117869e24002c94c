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
  TimeoutError,
  ValidationError,
  errorClassForStatus,
  type ErrorMapper,
  type NimbusErrorOptions,
  type FailedResponse,
} from "@nimbus-sdk/common";

const kind = (name: string) => `@nimbus-sdk/openstack:${name}`;

// Every instance carries the error kinds of its class chain under this global symbol (common's brand).
const KINDS = Symbol.for("@nimbus-sdk/common/error-kinds");
const isOurs = (value: unknown): boolean => {
  const kinds = typeof value === "object" && value !== null ? (value as { [KINDS]?: unknown })[KINDS] : undefined;
  return Array.isArray(kinds) && kinds.some((k) => typeof k === "string" && k.startsWith("@nimbus-sdk/openstack:"));
};

/**
 * pyrax's base exception. Each pyrax-named class extends the matching class of common instead (a
 * class has one parent), so `e instanceof PyraxException` is answered by brand: true for every error
 * of this package's classes.
 */
export class PyraxException extends NimbusError {
  static override readonly errorKind: string = kind("PyraxException");

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === PyraxException ? isOurs(value) : super[Symbol.hasInstance](value);
  }
}

/** Wrong credentials, or the identity service refused them. */
export class AuthenticationFailed extends AuthenticationError {
  static override readonly errorKind: string = kind("AuthenticationFailed");
}
/** No valid token: not authenticated yet, or a token from `authWithToken` expired. */
export class NotAuthenticated extends AuthenticationError {
  static override readonly errorKind: string = kind("NotAuthenticated");
}
/** pyrax's `Forbidden`: the credentials may not do this (HTTP 403). */
export class Forbidden extends ForbiddenError {
  static override readonly errorKind: string = kind("Forbidden");
}
/** pyrax's `NotFound`: no such resource (HTTP 404). */
export class NotFound extends NotFoundError {
  static override readonly errorKind: string = kind("NotFound");
}
/** pyrax's `NoSuchContainer`: Cloud Files has no container of that name. */
export class NoSuchContainer extends NotFound {
  static override readonly errorKind: string = kind("NoSuchContainer");
}
/** pyrax's `NoSuchObject`: the container has no object of that name. */
export class NoSuchObject extends NotFound {
  static override readonly errorKind: string = kind("NoSuchObject");
}
/** pyrax's `NoSuchImage`: the image service has no such image. */
export class NoSuchImage extends NotFound {
  static override readonly errorKind: string = kind("NoSuchImage");
}
/** pyrax's `BadRequest`: the service refused the request as malformed (HTTP 400). */
export class BadRequest extends BadRequestError {
  static override readonly errorKind: string = kind("BadRequest");
}
/** pyrax's `Conflict`: the request conflicts with the resource's state (HTTP 409). */
export class Conflict extends ConflictError {
  static override readonly errorKind: string = kind("Conflict");
}
/** pyrax's `OverLimit`: a rate limit or quota was hit (HTTP 413 or 429). */
export class OverLimit extends RateLimitError {
  static override readonly errorKind: string = kind("OverLimit");
}
/** pyrax's `ServiceNotAvailable`: the service failed or is unavailable (HTTP 5xx). */
export class ServiceNotAvailable extends ServerError {
  static override readonly errorKind: string = kind("ServiceNotAvailable");
}
/**
 * Any other failed HTTP call. As in pyrax, where BadRequest, Forbidden, NotFound, OverLimit … are its
 * subclasses, `e instanceof ClientException` holds for every HTTP error of this package.
 */
export class ClientException extends HttpError {
  static override readonly errorKind: string = kind("ClientException");

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === ClientException && value instanceof HttpError && isOurs(value)) return true;
    return super[Symbol.hasInstance](value);
  }
}
/** pyrax's `InvalidSetting`: an unknown setting name, or a value of the wrong type. */
export class InvalidSetting extends ConfigError {
  static override readonly errorKind: string = kind("InvalidSetting");
}
/** pyrax's `EnvironmentNotFound`: the configuration file has no such environment. */
export class EnvironmentNotFound extends ConfigError {
  static override readonly errorKind: string = kind("EnvironmentNotFound");
}
/** pyrax's `InvalidCredentialFile`: the credential file is unreadable or lacks the keys it needs. */
export class InvalidCredentialFile extends ConfigError {
  static override readonly errorKind: string = kind("InvalidCredentialFile");
}
/** pyrax's `FileNotFound`: a local file or folder named in a call does not exist. */
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
/** pyrax's `KeyringUsernameMissing`: keyring authentication without a user name (argument or `keyring_username` setting). */
export class KeyringUsernameMissing extends ConfigError {
  static override readonly errorKind: string = kind("KeyringUsernameMissing");
}
/** pyrax's `KeyringPasswordNotFound`: the keyring holds no password for that user. */
export class KeyringPasswordNotFound extends ConfigError {
  static override readonly errorKind: string = kind("KeyringPasswordNotFound");
}
/** pyrax's `InvalidContainerName`: a container name Cloud Files refuses (empty, too long, or with a slash). */
export class InvalidContainerName extends ValidationError {
  static override readonly errorKind: string = kind("InvalidContainerName");
}
/**
 * What is known of the object after a failed upload: "not-stored" when the request never reached
 * the server, the server refused it, or what it stored was removed; "unknown" when the answer was
 * lost and no check showed the data sent stored (the server may hold it, or still be storing it).
 */
export type UploadOutcome = "not-stored" | "unknown";

/** An upload did not complete; nothing was reported as stored, and `outcome` says what was checked. */
export class UploadFailed extends NimbusError {
  static override readonly errorKind: string = kind("UploadFailed");
  readonly outcome: UploadOutcome;

  constructor(message: string, options: NimbusErrorOptions & { outcome?: UploadOutcome } = {}) {
    const { outcome = "unknown", ...rest } = options;
    super(message, rest);
    this.outcome = outcome;
  }
}
/** The object's content does not match the checksum the server or the caller gave. */
export class ChecksumMismatch extends NimbusError {
  static override readonly errorKind: string = kind("ChecksumMismatch");
}
/** The cloud has no CDN (only Rackspace's has). */
export class NotCDNEnabled extends NimbusError {
  static override readonly errorKind: string = kind("NotCDNEnabled");
}
/** `pyrax.utils.waitUntil` was given an object it cannot fetch again (no `get`, `reload` or manager). */
export class NoReloadError extends ValidationError {
  static override readonly errorKind: string = kind("NoReloadError");
}
/** A date string in neither "YYYY-MM-DD HH:MM:SS" nor "YYYY-MM-DD" (pyrax.utils' date helpers). */
export class InvalidDateTimeString extends ValidationError {
  static override readonly errorKind: string = kind("InvalidDateTimeString");
}
/** `pyrax.utils.getName` was given something with no name. */
export class MissingName extends ValidationError {
  static override readonly errorKind: string = kind("MissingName");
}
/** A pyrax service this package does not implement yet. */
export class NotImplementedYet extends NimbusError {
  static override readonly errorKind: string = kind("NotImplementedYet");
}

function classFor(status: number, message: string): new (message: string, options: object) => NimbusError {
  // Nova and Cinder refuse what exceeds a quota with 403 (or 413): pyrax calls both OverLimit.
  if (
    status === 413 ||
    (status === 403 && /quota exceeded|exceeds? .*quota|maximum number of .* exceeds|quota has been met/i.test(message))
  ) {
    return OverLimit;
  }
  // A change while a load balancer is PENDING_*: Octavia's 409, Rackspace's 422 ("… considered immutable").
  if (
    (status === 409 || status === 422) &&
    /is immutable and cannot be updated|invalid state pending_\w+ of loadbalancer|considered immutable/i.test(message)
  ) {
    return ImmutableEntity;
  }
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
      // Octavia (WSME): {"faultcode": "Client", "faultstring": "..."}
      if (typeof parsed.faultstring === "string") return parsed.faultstring;
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

/** Neutron's error type (`{"NeutronError": {"type": "NetworkInUse"}}`), which names the failure exactly. */
export function serverErrorCode(response: Pick<FailedResponse, "body">): string | undefined {
  const body = response.body.trim();
  if (!body.startsWith("{")) return undefined;
  try {
    const error = (JSON.parse(body) as { NeutronError?: { type?: unknown } }).NeutronError;
    return typeof error?.type === "string" ? error.type : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a failed OpenStack response to pyrax's exception classes. */
export const mapOpenStackError: ErrorMapper = (response) => {
  const message = serverMessage(response);
  const ErrorClass = classFor(response.status, message);
  const context = {
    method: response.method,
    url: response.url,
    status: response.status,
    code: serverErrorCode(response),
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
/** pyrax's `InvalidTemporaryURLMethod`: a temporary URL can only be made for GET or PUT. */
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

// --- Cloud Networks (Neutron) -------------------------------------------------------------------

/** The network still has ports (servers, routers, DHCP) and Neutron refuses to delete it. */
export class NetworkInUse extends Conflict {
  static override readonly errorKind: string = kind("NetworkInUse");
}
/** pyrax's `NetworkNotFound`: no network has that id or label. */
export class NetworkNotFound extends NotFound {
  static override readonly errorKind: string = kind("NetworkNotFound");
}
/** `findNetworkByLabel` matched several networks; `matches` holds their ids. */
export class NetworkLabelNotUnique extends NoUniqueMatch {
  static override readonly errorKind: string = kind("NetworkLabelNotUnique");
}
/** A CIDR that cannot hold a network of two or more hosts, or that Neutron refused. */
export class NetworkCIDRInvalid extends ValidationError {
  static override readonly errorKind: string = kind("NetworkCIDRInvalid");
}
/** A CIDR that is not an IPv4 or IPv6 network in CIDR notation. */
export class NetworkCIDRMalformed extends NetworkCIDRInvalid {
  static override readonly errorKind: string = kind("NetworkCIDRMalformed");
}
/** The project's network quota is used up. */
export class NetworkCountExceeded extends OverLimit {
  static override readonly errorKind: string = kind("NetworkCountExceeded");
}

// --- Cloud Block Storage (Cinder) ---------------------------------------------------------------

/** A volume size that is not a whole number of GiB >= 1. */
export class InvalidSize extends ValidationError {
  static override readonly errorKind: string = kind("InvalidSize");
}
/** The volume's state forbids the call: attached elsewhere, busy with a snapshot … (`cause` is the HTTP error). */
export class VolumeNotAvailable extends ClientException {
  static override readonly errorKind: string = kind("VolumeNotAvailable");
}
/** Cinder refused to delete a volume that still has snapshots; `delete({ force: true })` deletes them first. */
export class VolumeHasSnapshots extends VolumeNotAvailable {
  static override readonly errorKind: string = kind("VolumeHasSnapshots");
}
/** Nova could not attach the volume (`cause` is its answer). */
export class VolumeAttachmentFailed extends ClientException {
  static override readonly errorKind: string = kind("VolumeAttachmentFailed");
}
/** Nova could not detach the volume (`cause` is its answer). */
export class VolumeDetachmentFailed extends ClientException {
  static override readonly errorKind: string = kind("VolumeDetachmentFailed");
}
/** A clone must be at least as large as its source volume. */
export class VolumeCloneTooSmall extends ClientException {
  static override readonly errorKind: string = kind("VolumeCloneTooSmall");
}
/** The snapshot is not available or in error, so Cinder will not delete it yet. */
export class SnapshotNotAvailable extends ClientException {
  static override readonly errorKind: string = kind("SnapshotNotAvailable");
}
/** The Block Storage API version asked for is outside what the server offers. */
export class UnsupportedMicroversion extends ValidationError {
  static override readonly errorKind: string = kind("UnsupportedMicroversion");
}

// --- Cloud DNS (Designate, or Rackspace Cloud DNS v1.0) ----------------------------------------
// pyrax wraps every failed DNS call in one class per operation; here each keeps the HTTP context of
// the failure (status, request id) and the mapped error (Conflict, BadRequest ...) as `cause`.

/** A domain could not be created or imported (a duplicate name, an invalid name or email ...). */
export class DomainCreationFailed extends ClientException {
  static override readonly errorKind: string = kind("DomainCreationFailed");
}
/** A domain could not be deleted (Designate: it still has subdomains and `deleteSubdomains` was false). */
export class DomainDeletionFailed extends ClientException {
  static override readonly errorKind: string = kind("DomainDeletionFailed");
}
export class DomainUpdateFailed extends ClientException {
  static override readonly errorKind: string = kind("DomainUpdateFailed");
}
/** A record could not be added: invalid data for its type, a name outside the domain ... */
export class DomainRecordAdditionFailed extends ClientException {
  static override readonly errorKind: string = kind("DomainRecordAdditionFailed");
}
export class DomainRecordUpdateFailed extends ClientException {
  static override readonly errorKind: string = kind("DomainRecordUpdateFailed");
}
export class DomainRecordDeletionFailed extends ClientException {
  static override readonly errorKind: string = kind("DomainRecordDeletionFailed");
}
/** `findRecord` matched no record. */
export class DomainRecordNotFound extends NotFound {
  static override readonly errorKind: string = kind("DomainRecordNotFound");
}
/** `findRecord` matched several records; `matches` holds their ids. */
export class DomainRecordNotUnique extends NoUniqueMatch {
  static override readonly errorKind: string = kind("DomainRecordNotUnique");
}
/** A DNS change was not done within the client's timeout (`setTimeout`); it may still complete. */
export class DNSCallTimedOut extends TimeoutError {
  static override readonly errorKind: string = kind("DNSCallTimedOut");
}
/** `updateDomain` was given nothing to change. */
export class MissingDNSSettings extends ValidationError {
  static override readonly errorKind: string = kind("MissingDNSSettings");
}
/** `listNextPage`/`listPreviousPage` past the last or first page. */
export class NoMoreResults extends NimbusError {
  static override readonly errorKind: string = kind("NoMoreResults");
}
/** A PTR record's device is neither a server nor a load balancer (nor a floating IP, on OpenStack). */
export class InvalidDeviceType extends ValidationError {
  static override readonly errorKind: string = kind("InvalidDeviceType");
}
/** The PTR record's name or address does not belong to the device. */
export class InvalidPTRRecord extends ValidationError {
  static override readonly errorKind: string = kind("InvalidPTRRecord");
}
export class PTRRecordCreationFailed extends ClientException {
  static override readonly errorKind: string = kind("PTRRecordCreationFailed");
}
export class PTRRecordUpdateFailed extends ClientException {
  static override readonly errorKind: string = kind("PTRRecordUpdateFailed");
}
export class PTRRecordDeletionFailed extends ClientException {
  static override readonly errorKind: string = kind("PTRRecordDeletionFailed");
}

// --- Cloud Databases (Trove) ---------------------------------------------------------------------

/** A datastore given without its version, or a version without its type. */
export class MissingCloudDatabaseParameter extends ValidationError {
  static override readonly errorKind: string = kind("MissingCloudDatabaseParameter");
}
/** The instance has no database of that name. */
export class NoSuchDatabase extends NotFound {
  static override readonly errorKind: string = kind("NoSuchDatabase");
}
/** The instance has no user of that name. */
export class NoSuchDatabaseUser extends NotFound {
  static override readonly errorKind: string = kind("NoSuchDatabaseUser");
}
/** No flavor has that id, name or RAM size. */
export class FlavorNotFound extends NotFound {
  static override readonly errorKind: string = kind("FlavorNotFound");
}
/** `updateUser` was given no new name, password or host. */
export class MissingDBUserParameters extends ValidationError {
  static override readonly errorKind: string = kind("MissingDBUserParameters");
}
/** `updateUser` was given only what the user already has. */
export class DBUpdateUnchanged extends ValidationError {
  static override readonly errorKind: string = kind("DBUpdateUnchanged");
}
/** A volume resize to a size not larger than the current one. */
export class InvalidVolumeResize extends ValidationError {
  static override readonly errorKind: string = kind("InvalidVolumeResize");
}
/**
 * The instance's state forbids the call for now (Trove's 422: building, resizing, restarting, in
 * ERROR …); `cause` is the HTTP error. Wait for ACTIVE (`utils.waitUntil`) and call again.
 */
export class InstanceNotAvailable extends ClientException {
  static override readonly errorKind: string = kind("InstanceNotAvailable");
}

// --- Cloud Load Balancers (Octavia, or Rackspace Cloud Load Balancers v1.0) ----------------------

/**
 * The load balancer is being built, changed or deleted (PENDING_*), so the service refuses another
 * change (Octavia's 409, Rackspace's 422). Remedy: `await pyrax.utils.waitUntil(lb, "status", "ACTIVE")`.
 */
export class ImmutableEntity extends Conflict {
  static override readonly errorKind: string = kind("ImmutableEntity");
}
/** A node the service refused (an address that is no IP address ...), or one without address or port. */
export class InvalidNodeParameters extends BadRequest {
  static override readonly errorKind: string = kind("InvalidNodeParameters");
}
/** A load balancer setting that cannot be used here (named in the message and `field`). */
export class InvalidLoadBalancerParameters extends ValidationError {
  static override readonly errorKind: string = kind("InvalidLoadBalancerParameters");
}
/** A load balancer needs a port, a protocol and a virtual IP. */
export class MissingLoadBalancerParameters extends ValidationError {
  static override readonly errorKind: string = kind("MissingLoadBalancerParameters");
}
/** A node condition other than ENABLED, DISABLED or DRAINING. */
export class InvalidNodeCondition extends ValidationError {
  static override readonly errorKind: string = kind("InvalidNodeCondition");
}
/** A virtual IP type other than PUBLIC or SERVICENET. */
export class InvalidVirtualIPType extends ValidationError {
  static override readonly errorKind: string = kind("InvalidVirtualIPType");
}
/** A virtual IP version other than IPV4 or IPV6. */
export class InvalidVirtualIPVersion extends ValidationError {
  static override readonly errorKind: string = kind("InvalidVirtualIPVersion");
}
/** A session persistence type other than HTTP_COOKIE or SOURCE_IP. */
export class InvalidSessionPersistenceType extends ValidationError {
  static override readonly errorKind: string = kind("InvalidSessionPersistenceType");
}
/** An HTTP(S) health monitor on a load balancer of another protocol. */
export class ProtocolMismatch extends ValidationError {
  static override readonly errorKind: string = kind("ProtocolMismatch");
}
/** A health monitor without its type (CONNECT, HTTP or HTTPS). */
export class MissingHealthMonitorSettings extends ValidationError {
  static override readonly errorKind: string = kind("MissingHealthMonitorSettings");
}
/** A Node that belongs to no load balancer (made with `clb.Node(...)` and never added). */
export class UnattachedNode extends ValidationError {
  static override readonly errorKind: string = kind("UnattachedNode");
}
/** A VirtualIP that belongs to no load balancer (made with `clb.VirtualIP(...)` and never added). */
export class UnattachedVirtualIP extends ValidationError {
  static override readonly errorKind: string = kind("UnattachedVirtualIP");
}
