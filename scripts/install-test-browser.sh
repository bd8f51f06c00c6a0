#!/bin/sh
# Install Debian's Chromium and a Chinese font for the browser tests.
#
# Runs before the suite in `make test`. Installs only what is missing, and
# only as root with apt-get (as CI runs); otherwise it prints why and exits 0,
# and the browser tests are skipped with the reason in pytest's summary.
# Playwright drives this system browser and never downloads one of its own.
set -u

missing=""
[ -x /usr/bin/chromium ] || missing=" chromium"
if ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; then
    missing="$missing fonts-noto-cjk"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "browser tests: Debian packages missing:$missing; without root and apt-get they stay missing and the tests that need Chromium are skipped"
    exit 0
fi
echo "browser tests: installing Debian packages:$missing"
if ! { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; }; then
    echo "browser tests: apt-get failed to install:$missing; without Chromium the browser tests are skipped"
fi
exit 0
