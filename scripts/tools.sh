#!/usr/bin/env bash
# Installs, when missing, the system tools the build and the browser tests need (sourced by
# scripts/test.sh and by jvm-flags.sh's build step). Debian packages only: npm fetches the web
# page's charting library at build time; Chromium and its driver run the -Pbrowser tests.

# Installs Debian packages $@ (needs root); explains what to do otherwise.
exchange_apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "ERROR: $* not installed and this user cannot install them: apt-get install -y $*" >&2
    return 1
  fi
  echo "Installing $* from Debian packages..." >&2
  if [ -z "${EXCHANGE_APT_UPDATED:-}" ]; then
    apt-get update -qq >&2
    EXCHANGE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# npm (with node): the gateway's build runs `npm ci` for lightweight-charts.
exchange_ensure_npm() {
  command -v npm >/dev/null 2>&1 || exchange_apt_install nodejs npm
}

# Chromium and chromedriver (same version, both from Debian) for the browser tests.
exchange_ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    exchange_apt_install chromium chromium-driver
  fi
}
