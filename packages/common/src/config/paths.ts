import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The user's home directory: `HOME` (`USERPROFILE` on Windows) else the account's, as Python's
 * `os.path.expanduser`. Read from `process.env`, not only through `os.homedir()`, so that a program
 * (or a test runner that sandboxes `process.env`) changing the variable is honoured.
 */
export function userHome(): string {
  const fromEnv = process.platform === "win32" ? process.env.USERPROFILE : process.env.HOME;
  return fromEnv || homedir();
}

/**
 * `~` and `~/…` resolved against the user's home directory, as Python's `os.path.expanduser`.
 * `home` is for tests and for callers that resolve against another user's home.
 */
export function expandHome(path: string, home: string = userHome()): string {
  if (path === "~") return home;
  // Windows users write `~\…` as often as `~/…`; elsewhere a backslash is a legal file-name character.
  if (path.startsWith("~/") || (process.platform === "win32" && path.startsWith("~\\"))) {
    return join(home, path.slice(2));
  }
  return path;
}
