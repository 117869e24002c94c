// API versions: their order, and pyVmomi's negotiation from a server's /sdk/vimServiceVersions.xml.
import { scanXml } from "@nimbus-sdk/common/client";
import { API_VERSION } from "../generated/wire.js";

/** Compares dotted API versions numerically ("6.7.3" < "7.0" < "7.0.3.0"). */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The newest urn:vim25 version a vimServiceVersions.xml lists that this SDK's schema covers (names that are
 * not dotted numbers, such as a vCenter's internal build version, are passed over); undefined when the
 * text is not that file or lists none.
 */
export function negotiateFromVersionsXml(text: string): string | undefined {
  const versions: string[] = [];
  try {
    const stack: string[] = [];
    let namespace = "";
    scanXml(text, {
      open: (name) => void stack.push(name),
      text: (value) => {
        const element = stack.at(-1);
        if (element === "name" && stack.at(-2) === "namespace") namespace = value.trim();
        else if (element === "version" && namespace === "urn:vim25") versions.push(value.trim());
      },
      close: () => {
        if (stack.pop() === "namespace") namespace = "";
      },
    });
  } catch {
    // Not the versions file (an HTML page, a proxy's answer).
    return undefined;
  }
  const usable = versions.filter((v) => /^\d+(\.\d+)*$/.test(v) && compareVersions(v, API_VERSION) <= 0);
  return usable.sort(compareVersions).at(-1);
}
