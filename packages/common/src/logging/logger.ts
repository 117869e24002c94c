/** Where the SDKs write diagnostics. Any object with these four methods will do (console, pino ...). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes to standard error, as the Python SDKs' debug output does. */
export const stderrLogger: Logger = {
  debug: (message) => process.stderr.write(`[nimbus-sdk] ${message}\n`),
  info: (message) => process.stderr.write(`[nimbus-sdk] ${message}\n`),
  warn: (message) => process.stderr.write(`[nimbus-sdk] warning: ${message}\n`),
  error: (message) => process.stderr.write(`[nimbus-sdk] error: ${message}\n`),
};

/** Environment variable that turns on HTTP debug output for every package. */
export const DEBUG_ENV_VAR = "NIMBUS_DEBUG";

/** Whether `NIMBUS_DEBUG` (or the given variable) asks for debug output: 1, true, yes or on. */
export function debugFromEnv(name: string = DEBUG_ENV_VAR, env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env[name]?.trim() ?? "");
}
