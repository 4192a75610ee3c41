#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install_and_deb: what issue 7 asks of the installed files and the .deb.
#   1. cmake --install BUILD --prefix /usr into a scratch DESTDIR: every file is there
#      and no installed program keeps a RUNPATH into the build tree;
#   2. desktop-file-validate, appstreamcli validate --no-net and (if man is there)
#      man --warnings pass on the installed files;
#   3. cpack -G DEB builds the .deb; every Depends entry is a Debian package;
#   4. dpkg -i into an empty dpkg root; dpkg -s says installed; the installed
#      spawnlab-cli --version prints the project's version.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR VERSION  (CMAKE, CPACK: the tools to use)
set -euo pipefail

build=$(cd "${1:?build dir}" && pwd)
source=$(cd "${2:?source dir}" && pwd)
version=${3:?version}
cmake=${CMAKE:-cmake}
cpack=${CPACK:-cpack}

fail() {
  echo "install_and_deb: FAIL: $*" >&2
  exit 1
}
step() { echo "--- $*"; }

for tool in desktop-file-validate appstreamcli dpkg dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null ||
    fail "$tool is missing (scripts/setup installs desktop-file-utils, appstream, dpkg-dev)"
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/spawnlab-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

step "cmake --install $build --prefix /usr (DESTDIR=$scratch/destdir)"
DESTDIR="$scratch/destdir" "$cmake" --install "$build" --prefix /usr >"$scratch/install.log" 2>&1 ||
  { cat "$scratch/install.log" >&2; fail "cmake --install failed (is the 'all' target built?)"; }
usr="$scratch/destdir/usr"
app_id=io.spawnlab.Spawnlab
expected=(
  bin/spawnlab bin/spawnlab-cli bin/spawnlab-noop bin/spawnlab-noop-floor
  "share/applications/$app_id.desktop"
  "share/metainfo/$app_id.metainfo.xml"
  "share/icons/hicolor/128x128/apps/$app_id.png"
  share/man/man1/spawnlab-cli.1
  share/bash-completion/completions/spawnlab-cli
  share/doc/spawnlab/copyright
)
for plan in "$source"/resources/plans/*.json; do
  expected+=("share/spawnlab/plans/$(basename "$plan")")
done
for driver in "$source"/resources/bench/runtimes/*; do
  expected+=("share/spawnlab/bench/runtimes/$(basename "$driver")")
done
missing=()
for f in "${expected[@]}"; do
  [ -f "$usr/$f" ] || missing+=("/usr/$f")
done
[ ${#missing[@]} -eq 0 ] || fail "not installed: ${missing[*]}"
for exe in spawnlab spawnlab-cli spawnlab-noop; do
  [ -x "$usr/bin/$exe" ] || fail "/usr/bin/$exe is not executable"
  # An installed program must not look for libraries in the build tree.
  if command -v readelf >/dev/null; then
    runpath=$(readelf -d "$usr/bin/$exe" | sed -n '/R\(UN\)\{0,1\}PATH/p')
    [[ "$runpath" != *"$build"* ]] || fail "/usr/bin/$exe keeps a RUNPATH into $build: $runpath"
  fi
done
echo "all ${#expected[@]} expected files installed"

step "desktop-file-validate"
desktop-file-validate "$usr/share/applications/$app_id.desktop" ||
  fail "desktop-file-validate rejects $app_id.desktop"
step "appstreamcli validate --no-net"
appstreamcli validate --no-net "$usr/share/metainfo/$app_id.metainfo.xml" ||
  fail "appstreamcli rejects $app_id.metainfo.xml"

if command -v man >/dev/null; then
  step "man --warnings (lintian's check)"
  man_errors=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
    man --warnings -E UTF-8 -l -Tutf8 -Z "$usr/share/man/man1/spawnlab-cli.1" 2>&1 >/dev/null)
  [ -z "$man_errors" ] || fail "the man page has warnings:"$'\n'"$man_errors"
else
  step "man is not installed: the man page check is skipped"
fi

step "cpack -G DEB"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/package" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; }
debs=("$scratch"/package/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  fail "cpack made no single .deb: ${debs[*]}"
fi
deb=${debs[0]}
echo "built $(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] ||
  fail ".deb version is '$(dpkg-deb -f "$deb" Version)', not $version"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
[ -n "$depends" ] || fail "the .deb has no Depends (dpkg-shlibdeps did not run?)"
unknown=()
# "libc6 (>= 2.34), libqt6core6 (>= 6.4) | foo": every alternative must be a package.
names=$(sed -e 's/([^)]*)//g' -e 's/:[a-z0-9-]*//g' -e 's/[,|]/ /g' <<<"$depends")
for name in $names; do
  if apt-cache show "$name" >/dev/null 2>&1; then continue; fi
  if dpkg-query -W "$name" >/dev/null 2>&1; then
    echo "note: $name is installed but unknown to apt-cache (no package lists?)"
    continue
  fi
  unknown+=("$name")
done
[ ${#unknown[@]} -eq 0 ] || fail "Depends names packages Debian does not know: ${unknown[*]}"

step "dpkg -i into an empty root"
root="$scratch/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
# --force-depends: the root is empty, its dependencies live on the host.
dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-not-root --force-depends \
  -i "$deb" >"$scratch/dpkg.log" 2>&1 ||
  { cat "$scratch/dpkg.log" >&2; fail "dpkg -i failed"; }
status=$(dpkg --root="$root" -s spawnlab | sed -n 's/^Status: //p')
[ "$status" = "install ok installed" ] || fail "dpkg -s spawnlab says '$status'"
echo "dpkg -s spawnlab: $status"
for f in "${expected[@]}"; do
  [ -f "$root/usr/$f" ] || fail "the .deb did not install /usr/$f"
done

step "the installed spawnlab-cli"
printed=$("$root/usr/bin/spawnlab-cli" --version) || fail "spawnlab-cli --version exited with $?"
[ "$printed" = "spawnlab-cli $version" ] ||
  fail "spawnlab-cli --version printed '$printed', not 'spawnlab-cli $version'"
echo "$printed"
"$root/usr/bin/spawnlab-cli" --help >/dev/null || fail "spawnlab-cli --help exited with $?"

step "the installed runtimes series runs the installed driver"
drivers="$root/usr/share/spawnlab/bench/runtimes"
"$root/usr/bin/spawnlab-cli" bench --series runtimes --runtimes python --sizes-mb 0 --runs 2 \
  --warmup 0 --format jsonl >"$scratch/runtimes.out" 2>"$scratch/runtimes.err" ||
  { cat "$scratch/runtimes.err" >&2; fail "bench --series runtimes exited with $?"; }
grep -q "python: running $drivers/python_subprocess.py" "$scratch/runtimes.err" ||
  { cat "$scratch/runtimes.err" >&2; fail "the installed spawnlab-cli did not run $drivers"; }
grep -q '"api":"subprocess.run"' "$scratch/runtimes.out" || fail "no python point: $(cat "$scratch/runtimes.out")"
echo "ran $drivers/python_subprocess.py"
echo "install_and_deb: PASS"
