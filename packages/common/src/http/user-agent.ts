/** `nimbus-sdk-<pkg>/<version> node/<version>`, after the caller's own prefix when given. */
export function userAgent(packageName: string, packageVersion: string, prefix?: string): string {
  const short = packageName.replace(/^@nimbus-sdk\//, "");
  const ours = `nimbus-sdk-${short}/${packageVersion} node/${process.versions.node}`;
  return prefix?.trim() ? `${prefix.trim()} ${ours}` : ours;
}
