# Shared shell helpers for the project's scripts: sourced, never run.
# Puts a pinned pnpm on PATH (corepack cannot verify this registry's metadata, so pnpm is installed
# with npm into .tools/, which needs no root and is idempotent).
NIMBUS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PNPM_VERSION="$(node -p "require('$NIMBUS_ROOT/package.json').packageManager.split('@')[1]")"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

ensure_pnpm() {
  local bin="$NIMBUS_ROOT/.tools/node_modules/.bin"
  if [ "$("$bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    echo "==> installing pnpm $PNPM_VERSION into .tools/"
    npm install --prefix "$NIMBUS_ROOT/.tools" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$bin:$PATH"
}

# The other Node majors that `engines` (>= 20.19) allows and the tests run on besides the machine's
# own Node 20: exact builds from the npm registry's node-linux-<arch> packages (the official binaries),
# installed into .tools/node-<version>/ on first use (npm's cache keeps the tarball for a fresh clone).
TESTED_NODE_VERSIONS=(22.23.5 24.22.3)

# Prints the bin folder of Node <version>, installing it first when absent or not that version.
ensure_node() {
  local version="$1" arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "==> no node-linux build for $(uname -m)" >&2 && return 1 ;;
  esac
  local prefix="$NIMBUS_ROOT/.tools/node-$version"
  local bin="$prefix/node_modules/node-linux-$arch/bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
    echo "==> installing Node $version (node-linux-$arch) into .tools/node-$version/" >&2
    rm -rf "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --prefer-offline --loglevel=error \
      "node-linux-$arch@$version" >/dev/null
    [ "$("$bin/node" --version)" = "v$version" ] || return 1
  fi
  echo "$bin"
}

# Debian packages the tests and the demo need. Installed only as root; otherwise the tests that need
# them fail with a message that names this script.
APT_PACKAGES=(gnome-keyring libsecret-1-dev libsecret-tools pkg-config python3-keyring dbus)

ensure_apt_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "==> missing Debian packages: ${missing[*]} (run 'sudo bash scripts/setup.sh' to install them)" >&2
    return 0
  fi
  echo "==> installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep packages from starting system services (exit 101 = "start nothing") while apt runs.
  local policy=/usr/sbin/policy-rc.d own=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own=1; fi
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$own" ] && rm -f "$policy"
  return 0
}

ensure_node_modules() {
  cd "$NIMBUS_ROOT"
  echo "==> pnpm install"
  local log
  log="$(mktemp)"
  if ! pnpm install --frozen-lockfile --reporter=append-only >"$log" 2>&1; then
    cat "$log"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# The real servers' Debian packages (Keystone, Swift, Glance …): each package's test-server launcher
# owns its list, so this runs after the build and asks the launchers themselves.
ensure_server_packages() {
  cd "$NIMBUS_ROOT"
  echo "==> server packages"
  # Each step reports its own failure and the next still runs: a test that needs what is missing
  # then fails with a message naming the command.
  node --input-type=module -e '
    const steps = [
      ["openstack", async (t) => t.ensureOpenStackPackages({}, [...t.OPENSTACK_PACKAGES, ...t.COMPUTE_PACKAGES, ...t.DNS_PACKAGES, ...t.DATABASE_PACKAGES])],
      ["opennebula", async (t) => t.ensureOpenNebulaTestPackages()],
      ["vsphere", async (t) => console.log(`==> vcsim: ${await t.ensureVcsim({ onProgress: (m) => console.log(`==> ${m}`) })}`)],
    ];
    for (const [name, step] of steps) {
      try {
        await step(await import(`./packages/${name}/dist/esm/testing/index.js`));
      } catch (error) {
        console.error(`==> ${name}: ${error.message}`);
      }
    }'
}
