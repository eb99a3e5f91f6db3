#!/usr/bin/env bash
# Red Steward (红色管家): newcomer setup, run and test entry point.
#
#   ./dev.sh run   [APP ARGS...]     set up, then start the app (demo data if empty)
#   ./dev.sh test  [PYTEST ARGS...]  set up, then ruff, then the whole test suite offscreen
#   ./dev.sh setup                   set up only (system libraries, .venv, translations)
#
# Every setup step is idempotent; a second run takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON_MIN="3.11"
VENV=".venv"
STAMP="$VENV/.installed-stamp"
EXTRAS="test"
# What `test` lints (ruff check) and checks the formatting of (ruff format --check).
LINTED=(desktop tests benchmarks tools)

# Debian libraries Qt needs for the offscreen platform (tests, headless checks).
# fonts-hanazono: the fallback face that prints rare name characters (CJK Extensions A and B).
APT_OFFSCREEN=(fonts-hanazono libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
               libxkbcommon0 libgssapi-krb5-2 libx11-6)
# ...plus these for a real X11 window (the xcb platform plugin).
APT_X11=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
         libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libx11-xcb1)
# ...plus these for the tests (pdftoppm/pdffonts in the PDF tests).
APT_TEST=(poppler-utils)

say()  { printf '==> %s\n' "$*" >&2; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }
die()  { printf '==> ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '4,6s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

# Prints how to run a command as root ("" when we are root, "sudo" when passwordless sudo works),
# or fails when neither is possible.
root_prefix() {
    if [[ $(id -u) -eq 0 ]]; then
        echo ""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "sudo"
    else
        return 1
    fi
}

pkg_installed() {
    # Ubuntu 24.04 renamed some libraries with a t64 suffix (libglib2.0-0 -> libglib2.0-0t64).
    local p
    for p in "$1" "${1}t64"; do
        [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] && return 0
    done
    return 1
}

# apt_ensure PKG...: installs the missing ones when permitted, otherwise explains and continues.
apt_ensure() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian/Ubuntu system: skipping the system library check (Qt needs: $*)"
        return 0
    fi
    local missing=() p prefix
    for p in "$@"; do
        pkg_installed "$p" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0

    local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
    if ! prefix=$(root_prefix); then
        warn "missing system packages: ${missing[*]}"
        warn "install them with:  sudo apt-get update && sudo $cmd"
        return 0
    fi
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { $prefix apt-get update -qq && $prefix apt-get install -y -q --no-install-recommends "${missing[@]}"; } >&2 </dev/null; then
        warn "apt-get failed; continuing, but Qt may not start. Try:  sudo apt-get update && sudo $cmd"
    fi
}

setup_python() {
    command -v python3 >/dev/null 2>&1 \
        || die "python3 not found: Python >= $PYTHON_MIN is required (Debian/Ubuntu: apt-get install python3 python3-venv)"
    python3 -c "import sys; sys.exit(sys.version_info < (${PYTHON_MIN/./, }))" \
        || die "Python >= $PYTHON_MIN is required, but python3 is $(python3 -c 'import platform; print(platform.python_version())') ($(command -v python3))"

    # A venv whose interpreter is gone (python upgraded or removed) is rebuilt from scratch.
    if [[ -d $VENV ]] && ! "$VENV/bin/python" -c "" >/dev/null 2>&1; then
        say "$VENV is broken (its python does not run): recreating it"
        rm -rf "$VENV"
    fi
    if [[ ! -x $VENV/bin/python ]]; then
        # Debian/Ubuntu ship venv's ensurepip in a separate package.
        if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
            apt_ensure python3-venv
            python3 -c "import venv, ensurepip" >/dev/null 2>&1 \
                || die "python3's venv module is not usable; install it: sudo apt-get install python3-venv"
        fi
        say "creating $VENV"
        python3 -m venv "$VENV"
    fi

    local want
    want="$(sha256sum pyproject.toml | cut -d' ' -f1) .[$EXTRAS]"
    if [[ -f $STAMP && $(<"$STAMP") == "$want" ]]; then
        return 0
    fi
    say "installing Python packages (pip install -e \".[$EXTRAS]\")…"
    "$VENV/bin/pip" install -e ".[$EXTRAS]" >&2 </dev/null
    printf '%s\n' "$want" >"$STAMP"
}

compile_translations() {
    local pos=() po stale=0
    shopt -s nullglob
    pos=(translations/*/LC_MESSAGES/messages.po)
    shopt -u nullglob
    [[ ${#pos[@]} -eq 0 ]] && return 0
    for po in "${pos[@]}"; do
        [[ ${po%.po}.mo -nt $po ]] || stale=1
    done
    [[ $stale -eq 0 ]] && return 0
    say "compiling translations"
    "$VENV/bin/pybabel" -q compile -d translations -D messages >&2 \
        || die "pybabel compile failed: fix the catalogue errors above"
    for po in "${pos[@]}"; do
        [[ -f ${po%.po}.mo ]] || warn "$po was not compiled (is its header marked fuzzy?)"
    done
}

# The hub's PostgreSQL tests need a server: Debian's postgresql, started here, with a role that may
# create a database per test. Exports RED_STEWARD_TEST_PG; without it those tests are skipped.
PG_ROLE="red_steward_test"
PG_PASSWORD="red-steward-test"
start_test_postgresql() {
    if [[ -n ${RED_STEWARD_TEST_PG:-} ]]; then
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1 || ! root_prefix >/dev/null; then
        say "PostgreSQL tests skipped: they need Debian's postgresql and root (or set RED_STEWARD_TEST_PG)"
        return 0
    fi
    apt_ensure postgresql
    command -v pg_lsclusters >/dev/null 2>&1 || { warn "postgresql is not installed: its tests are skipped"; return 0; }
    local prefix version name port status
    prefix=$(root_prefix)
    if [[ -z $(pg_lsclusters -h 2>/dev/null) ]]; then
        version=$(ls /usr/lib/postgresql | sort -V | tail -1)
        $prefix pg_createcluster "$version" main >&2 || { warn "could not create a PostgreSQL cluster: its tests are skipped"; return 0; }
    fi
    read -r version name port status _ < <(pg_lsclusters -h | head -1)
    if [[ $status != online* ]]; then
        say "starting PostgreSQL $version/$name on port $port"
        $prefix pg_ctlcluster "$version" "$name" start >&2 || { warn "PostgreSQL did not start: its tests are skipped"; return 0; }
    fi
    local as_postgres=(runuser -u postgres --)
    [[ -n $prefix ]] && as_postgres=(sudo -n -u postgres)
    "${as_postgres[@]}" psql -p "$port" -qtAc "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
            CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
        END IF; END \$\$;" >&2 </dev/null \
        || { warn "could not create the test role in PostgreSQL: its tests are skipped"; return 0; }
    export RED_STEWARD_TEST_PG="postgresql://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$port/postgres"
    say "PostgreSQL tests use $PG_ROLE@127.0.0.1:$port"
}

setup() {   # setup run|test|all
    case $1 in
        run)  apt_ensure "${APT_OFFSCREEN[@]}" "${APT_X11[@]}" ;;
        test) apt_ensure "${APT_OFFSCREEN[@]}" "${APT_TEST[@]}" ;;
        *)    apt_ensure "${APT_OFFSCREEN[@]}" "${APT_X11[@]}" "${APT_TEST[@]}" ;;
    esac
    setup_python
    compile_translations
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    run)
        setup run
        app=("$VENV/bin/red-steward" --demo-if-empty "$@")
        if [[ $(uname -s) == Linux && -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} && -z ${QT_QPA_PLATFORM:-} ]]; then
            if command -v xvfb-run >/dev/null 2>&1; then
                say "no display found (DISPLAY and WAYLAND_DISPLAY are unset): starting under xvfb-run -a"
                exec xvfb-run -a "${app[@]}"
            fi
            say "no display found (DISPLAY and WAYLAND_DISPLAY are unset) and xvfb-run is not installed."
            say "Run it on a desktop session, install xvfb (apt-get install xvfb xauth), or for a headless check:"
            say "  QT_QPA_PLATFORM=offscreen ./dev.sh run"
            exit 1
        fi
        say "starting red-steward"
        exec "${app[@]}"
        ;;
    test)
        setup test
        # Lint and formatting first: seconds, and a failure says exactly what to fix.
        say "ruff check and ruff format --check (${LINTED[*]})"
        "$VENV/bin/ruff" check --quiet "${LINTED[@]}" \
            || die "ruff check found the problems above (fix them; 'ruff check --fix' fixes some)"
        "$VENV/bin/ruff" format --check --quiet "${LINTED[@]}" \
            || die "the files above are not formatted: run  $VENV/bin/ruff format ${LINTED[*]}"
        start_test_postgresql
        say "running the test suite"
        rc=0
        QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest "$@" || rc=$?
        if [[ $rc -eq 5 ]]; then
            printf '==> ERROR: pytest collected no tests (exit code 5); the suite must not be empty.\n' >&2
        fi
        exit "$rc"
        ;;
    setup)
        [[ $# -eq 0 ]] || usage
        setup all
        say "setup done"
        ;;
    *)
        usage
        ;;
esac
