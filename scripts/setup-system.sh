#!/usr/bin/env bash
# Installs what webgrad needs from the OS on Debian/Ubuntu (run as root):
# the Vulkan loader + Mesa lavapipe (a Vulkan driver on the CPU, >= 24; Debian 12's 22.3
# is refused by Dawn, so it comes from bookworm-backports), Debian's Chromium (WebGPU in
# a real browser, SwiftShader) and the real Fashion-MNIST. Idempotent: a second run is quick.
set -euo pipefail

need_pkgs=(libvulkan1 mesa-vulkan-drivers chromium dataset-fashion-mnist)

if ! command -v apt-get >/dev/null 2>&1 || [ ! -r /etc/os-release ]; then
  echo "setup-system: this script knows Debian/Ubuntu only. Install by hand:" >&2
  echo "  - the Vulkan loader and Mesa's lavapipe driver, Mesa >= 24" >&2
  echo "  - Chromium (for the browser tests)" >&2
  echo "  - Fashion-MNIST's four .gz IDX files in ./data/fashion-mnist or \$FASHION_MNIST_DIR" >&2
  exit 1
fi

missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
mesa_ok() {
  local v
  v=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 24
}
if [ ${#missing[@]} -eq 0 ] && mesa_ok; then
  echo "setup-system: all system packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing ${missing[*]:-mesa>=24}; run as root: sudo bash $0" >&2
  exit 1
fi

. /etc/os-release
export DEBIAN_FRONTEND=noninteractive
if [ "${VERSION_CODENAME:-}" = "bookworm" ] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/bookworm-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -q
if [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
  apt-get install -y -q -t bookworm-backports mesa-vulkan-drivers libvulkan1
else
  apt-get install -y -q mesa-vulkan-drivers libvulkan1
fi
apt-get install -y -q --no-install-recommends chromium dataset-fashion-mnist
mesa_ok || { echo "setup-system: mesa-vulkan-drivers is older than 24; Dawn will refuse it" >&2; exit 1; }
echo "setup-system: done"
