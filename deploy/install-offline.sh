#!/bin/sh
# Install renda from an offline bundle with no network at all (`make install-offline BUNDLE=…`, or from the
# unpacked bundle: `./install.sh /srv/renda`).
#   install-offline.sh [BUNDLE.tar.gz | unpacked bundle directory] PREFIX     (the first argument is optional when
#                                                                            run as the bundle's own install.sh)
# Writes the source to PREFIX, a virtualenv to PREFIX/.venv (the runtime packages and gunicorn; DEV=1 adds the test
# tools) and the front-end packages to PREFIX/node_modules. Then: settings, migrate, collectstatic (README, deploy).
set -eu
if [ $# -eq 1 ]; then bundle=$(cd "$(dirname "$0")" && pwd); prefix=$1
elif [ $# -eq 2 ]; then bundle=$1; prefix=$2
else echo "usage: $0 [BUNDLE] PREFIX" >&2; exit 2; fi
PYTHON=${PYTHON:-python3}
test -e "$bundle" || { echo "$bundle does not exist" >&2; exit 1; }
tmp=
trap 'test -z "$tmp" || rm -rf "$tmp"' EXIT
if [ -f "$bundle" ]; then
    tmp=$(mktemp -d)
    tar -C "$tmp" -xzf "$bundle"
    bundle=$(echo "$tmp"/renda-bundle-*)
fi
test -f "$bundle/MANIFEST.txt" || { echo "$bundle is not a renda bundle (no MANIFEST.txt)" >&2; exit 1; }
want=$(sed -n 's/.* for Python \(cp[0-9]*\) .*/\1/p' "$bundle/MANIFEST.txt")
have=$($PYTHON -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
test "$want" = "$have" || { echo "the bundle is for $want, $PYTHON is $have (set PYTHON=…)" >&2; exit 1; }
built=$(sed -n 's/.* for Python cp[0-9]* (\([0-9.]*\)) on .*/\1/p' "$bundle/MANIFEST.txt")
here=$($PYTHON -c 'import platform; print(platform.python_version())')
if [ "$built" != "$here" ]; then
    echo "warning: the bundle was built with Python $built, this is $here: a dependency needed only by some patch" \
        "versions (an environment marker) may be missing; if pip says so, build the bundle with this Python" >&2
fi

echo "checking the bundle's checksums"
(cd "$bundle" && awk 'NF == 3 && $1 ~ /^[0-9]+$/ && length($2) == 64 { print $2 "  " $3 }' MANIFEST.txt | sha256sum --quiet -c -)

mkdir -p "$prefix"
tar -C "$prefix" --strip-components=1 -xf "$bundle"/source/renda-*.tar
cd "$prefix"
test -x .venv/bin/python || $PYTHON -m venv .venv
# Only the bundle: no index, and no pip configuration or environment of this machine pointing elsewhere.
pip_install() {
    env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
        .venv/bin/python -m pip install --quiet --no-index --find-links "$bundle/wheels" "$@"
}
pip_install --upgrade pip
if [ "${DEV:-0}" = 1 ]; then
    pip_install -r requirements-dev.txt
    touch .venv/.installed  # `make test` and `make demo` then use it as it is
else
    pip_install -r requirements.txt gunicorn
fi
for tarball in "$bundle"/frontend/*.tgz; do
    package=$(tar -xzOf "$tarball" package/package.json | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["name"])')
    rm -rf "node_modules/$package"
    mkdir -p "node_modules/$package"
    tar -C "node_modules/$package" --strip-components=1 -xzf "$tarball"
done
touch node_modules/.installed
echo "installed into $(pwd): $(.venv/bin/python -m pip list --format=freeze 2>/dev/null | wc -l) packages"
