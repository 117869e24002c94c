// ovirtsdk4, the Python SDK the oVirt scenarios compare with, where Debian's python3 can import it. It is
// published on PyPI only, which the benchmark machines cannot reach, and Debian has no package of it; it
// builds from its public sources with Debian's packages alone (docs/decisions/0022), outside the repository.
import { spawnSync } from "node:child_process";

export const PYTHON = "/usr/bin/python3";

/** ovirtsdk4's version where `import ovirtsdk4` works (PYTHONPATH included), else null. */
export const ovirtsdk4Version = (() => {
  const probe = spawnSync(PYTHON, ["-c", "import ovirtsdk4.version as v; print(v.VERSION)"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : null;
})();

/** What a scenario's notes say where ovirtsdk4 did not run. */
export const OVIRTSDK4_ABSENT =
  "not run: `import ovirtsdk4` fails with Debian's python3. It is published on PyPI only, which the benchmark " +
  "machines cannot reach, and Debian has no package of it. It can be built from its public sources " +
  "(oVirt/python-ovirt-engine-sdk4 4.6.3: lib/ plus ext/ compiled against Debian's python3-dev and libxml2-dev, " +
  "with python3-pycurl) and put on PYTHONPATH; the scenario then runs it";
