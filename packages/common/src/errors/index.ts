export { NimbusError, type ErrorContext, type NimbusErrorOptions } from "./nimbus-error.js";
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  NotFoundError,
  RateLimitError,
  STATUS_ERRORS,
  ServerError,
  errorClassForStatus,
} from "./http-errors.js";
export {
  AbortError,
  BodyTooLargeError,
  ConfigError,
  ConnectionError,
  KeyringError,
  ParseError,
  TimeoutError,
  ValidationError,
} from "./local-errors.js";
