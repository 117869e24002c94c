export * from "./errors/index.js";
export * from "./config/index.js";
export * from "./keyring/index.js";
export { debugFromEnv, DEBUG_ENV_VAR, stderrLogger, type Logger } from "./logging/logger.js";
export { REDACTED, Redactor, hideSecrets, MAX_REDACTED_DEPTH, type RedactionAllowList } from "./logging/redact.js";
export { createDispatcher, type ConnectionOptions, type ProxyOptions, type TlsOptions } from "./http/dispatcher.js";
export { DEFAULT_MAX_BODY_BYTES, NimbusResponse } from "./http/response.js";
export { isIdempotent, parseRetryAfter, type RetryOptions } from "./http/retry.js";
export type { BodyData, HttpClientName } from "./http/senders.js";
export { TLS_CERTIFICATE_ERROR_CODES } from "./http/network-errors.js";
export {
  Transport,
  type AuthStep,
  type ClientTransportOptions,
  type ErrorMapper,
  type FailedResponse,
  type OutgoingRequest,
  type RequestOptions,
  type TransportOptions,
} from "./http/transport.js";
export { userAgent } from "./http/user-agent.js";
export {
  getTelemetry,
  setTelemetry,
  type CallRecord,
  type Telemetry,
  type TelemetrySpan,
  type TelemetryTracer,
} from "./observability/telemetry.js";
export { waitUntil, type WaitOptions } from "./polling/wait-until.js";
export {
  ProgressTracker,
  type Progress,
  type ProgressPhase,
  type ProgressUnit,
  type WaitProgress,
  type WaitProgressCallback,
} from "./progress/progress.js";
export { AwaitablePagedList, PagedList, type Page } from "./paging/paginate.js";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
// The scanner has no dependency, so it is on the main entry; the fast-xml-parser preset stays at ./xml.
export {
  escapeXmlAttribute,
  escapeXmlText,
  parseXmlElement,
  scanXml,
  type XmlElement,
  type XmlHandler,
  type XmlScanOptions,
} from "./xml/scan.js";
export { checkUtf8, decodeUtf8, type Utf8Options } from "./xml/utf8.js";
export { XmlStreamScanner, type XmlStreamOptions } from "./xml/stream.js";
