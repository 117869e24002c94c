/**
 * The one convention of every package's `@nimbus-sdk/<name>/testing` entry: `startServer(options?)`
 * resolves to a running server on 127.0.0.1, its URL and credentials, and `stop()`, which leaves no
 * process or temporary directory behind. Platforms add what they need (a region, a session string).
 */
export interface TestServer {
  /** The endpoint a client connects to (an auth URL, an API root ...). */
  url: string;
  /** What a client needs to log in, by the platform's own names (username, password ...). */
  credentials: Record<string, string>;
  stop(): Promise<void>;
}

/** Options every test-server launcher takes: the port, whether to install missing packages, and a signal. */
export interface StartServerOptions {
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Install missing system packages when running as root (default: true when root). */
  allowInstall?: boolean;
  signal?: AbortSignal;
}

/** The shape of a package's test-server launcher: options in, a started {@link TestServer} out. */
export type StartServer<S extends TestServer = TestServer, O extends StartServerOptions = StartServerOptions> = (
  options?: O,
) => Promise<S>;
