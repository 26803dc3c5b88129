#!/usr/bin/env bash
# Installs what Seaweed.Grains needs outside NuGet, once per machine; every step checks before it acts.
#   1. libstdc++ with GLIBCXX_3.4.32: TorchSharp 0.107's libLibTorchSharp.so needs it, Debian 12 lacks it.
#      Taken from Debian 13 through a sources file and lists directory of our own, so the
#      machine's apt sources are never touched.
#   2. ffmpeg: MP4 encode/decode.
#   3. The Node packages pinned by deploy/azurite/package-lock.json (Azurite, the local Azure Storage).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="/var/lib/seaweed-grains/apt-debian13"
export DEBIAN_FRONTEND=noninteractive

say() { printf 'bootstrap: %s\n' "$*" >&2; }

libstdcxx_path() {
  ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }'
}

has_glibcxx_3_4_32() {
  local lib
  lib="$(libstdcxx_path)"
  [ -n "$lib" ] && grep -qa 'GLIBCXX_3\.4\.32' "$lib"
}

missing_system_steps() {
  has_glibcxx_3_4_32 || echo "libstdc++ with GLIBCXX_3.4.32 (from Debian 13)"
  command -v ffmpeg >/dev/null || echo "ffmpeg"
  command -v npm >/dev/null || echo "npm"
}

# Run as root directly, or through password-less sudo; otherwise say what to run and stop.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo --preserve-env=DEBIAN_FRONTEND "$@"
  else
    say "this machine still needs: $(missing_system_steps | paste -sd ';' -)"
    say "installing them needs root. Run once:  sudo $here/bootstrap.sh"
    exit 1
  fi
}

# The main Debian archive URI from the machine's own apt configuration (deb822 or one-line format).
debian_mirror() {
  local codename uri=""
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk -v suite="$codename" '
      /^URIs:/   { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) { print uris; exit } }
    ' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk -v suite="$codename" '$1 == "deb" && $0 ~ " " suite " " { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || { say "cannot find the Debian archive for '$codename' in /etc/apt sources"; exit 1; }
  echo "$uri"
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  as_root apt-get install -y -qq --no-install-recommends "$@"
}

install_libstdcxx_from_debian13() {
  local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mirror="$(debian_mirror)"
  as_root mkdir -p "$state_dir/lists/partial" "$state_dir/sources.list.d"
  echo "deb [signed-by=$keyring] $mirror trixie main" | as_root tee "$state_dir/debian13.list" >/dev/null
  local apt13=(apt-get
    -o "Dir::Etc::sourcelist=$state_dir/debian13.list"
    -o "Dir::Etc::sourceparts=$state_dir/sources.list.d"
    -o "Dir::State::Lists=$state_dir/lists"
    -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
  as_root "${apt13[@]}" update -qq
  # --no-remove: abort rather than remove anything the machine already has.
  as_root "${apt13[@]}" install -y -qq --no-install-recommends --no-remove libstdc++6
}

if ! command -v ffmpeg >/dev/null; then
  say "installing ffmpeg"
  apt_install ffmpeg
fi

if ! has_glibcxx_3_4_32; then
  say "installing libstdc++ with GLIBCXX_3.4.32 from Debian 13"
  install_libstdcxx_from_debian13
  has_glibcxx_3_4_32 || { say "libstdc++ still lacks GLIBCXX_3.4.32 after the install"; exit 1; }
fi

if ! command -v npm >/dev/null; then
  say "installing Node.js and npm"
  apt_install nodejs npm
fi

azurite_dir="$here/azurite"
stamp="$azurite_dir/node_modules/.lock-sha256"
lock_sum="$(sha256sum "$azurite_dir/package-lock.json" | cut -d' ' -f1)"
if [ ! -x "$azurite_dir/node_modules/.bin/azurite" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  say "installing the pinned Node packages (Azurite)"
  (cd "$azurite_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$stamp"
fi

say "ready: $(libstdcxx_path) has GLIBCXX_3.4.32; $(ffmpeg -version | head -n1 | cut -d' ' -f1-3); azurite $("$azurite_dir/node_modules/.bin/azurite" --version)"
