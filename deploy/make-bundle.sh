#!/bin/sh
# Build the offline installation bundle: dist/renda-bundle-<version>-<python>-<platform>.tar.gz (`make bundle`).
#
# It holds every wheel the project needs for $PYTHON's version and platform (default python3: build it on the same
# Debian release as the target, with the interpreter the target will use), the front-end packages the site serves (npm tarballs of node_modules), the
# project source (git archive of HEAD: commit first), install.sh and MANIFEST.txt (size and SHA-256 of every file).
# Fonts (pylopdf-fonts-zh-cn), the holiday calendar (chinese-calendar) and the region data are inside the wheels
# and the source. Needs the network (PyPI or a mirror) once, here; the install needs none (deploy/install-offline.sh).
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)
pytag=$($PYTHON -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
pyversion=$($PYTHON -c 'import platform; print(platform.python_version())')
platform=$($PYTHON -c 'import sysconfig; print(sysconfig.get_platform().replace("-", "_"))')
name="renda-bundle-$version-$pytag-$platform"
mkdir -p dist
work=$(mktemp -d dist/.bundle-XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/$name"
mkdir -p "$root/wheels" "$root/frontend" "$root/source"

echo "wheels for $pytag $platform (binary wheels where they exist, sdists built into wheels otherwise)"
# pip wheel keeps a downloaded wheel as it is and builds one only from a package that has no wheel.
$PYTHON -m pip wheel --quiet --prefer-binary -r requirements.txt -r requirements-dev.txt -w "$root/wheels"
# and the installer's own tools, so `pip install --no-index` never reaches for them
$PYTHON -m pip download --quiet --only-binary=:all: -d "$root/wheels" pip setuptools wheel

echo "front-end packages (the runtime files the site serves, as npm tarballs)"
for package in $($PYTHON -c 'import json; print(" ".join(json.load(open("package.json"))["dependencies"]))'); do
    test -d "node_modules/$package" || { echo "node_modules/$package is missing: run make install first"; exit 1; }
    (cd "$root/frontend" && npm pack --silent "$OLDPWD/node_modules/$package" >/dev/null)
done

echo "source (git archive of HEAD $(git rev-parse --short HEAD))"
git archive --format=tar --prefix="renda-$version/" -o "$root/source/renda-$version.tar" HEAD
cp deploy/install-offline.sh "$root/install.sh"

{
    echo "renda $version offline bundle for Python $pytag ($pyversion) on $platform, source $(git rev-parse HEAD)"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) with $($PYTHON -m pip --version | cut -d' ' -f1-2)"
    echo "install: tar xzf $name.tar.gz && $name/install.sh /srv/renda   (no network needed)"
    echo
    echo "bytes      sha256                                                            file"
    (cd "$root" && find . -type f ! -name MANIFEST.txt | sort | while read -r f; do
        printf '%-10s %s %s\n' "$(wc -c <"$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "${f#./}"
    done)
    echo
    echo "total: $(du -sb "$root" | cut -f1) bytes, $(ls "$root/wheels" | wc -l) wheels"
} >"$root/MANIFEST.txt"

tar -C "$work" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz: $(du -h "dist/$name.tar.gz" | cut -f1)"
