import { homedir } from "node:os";
import { join } from "node:path";

/** `~` and `~/…` resolved against the user's home directory, as Python's `os.path.expanduser`. */
export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}
