#!/bin/sh
# Installs safe-pip with npm and turns on its shell integration (`safe-pip setup`).
#
#   install.sh [--from PATH] [--prefix DIR] [--version V] [--no-setup] [-- SETUP-ARGS...]
#   install.sh --uninstall [--prefix DIR]
#
#   --from PATH    install from a local checkout (a built safe-pip directory; npm links it) or a
#                  tarball made by `npm pack`, instead of the npm registry
#   --prefix DIR   npm's global prefix to install into (default: npm's own); prints the PATH line to add for DIR/bin
#   --version V    the version to take from the registry (default: latest)
#   --no-setup     install only; run `safe-pip setup` yourself later
#   --uninstall    `safe-pip teardown` (rc-file blocks and shims), then remove the package
#   SETUP-ARGS     passed to `safe-pip setup`, e.g. -- --shell zsh   or   -- --ci
#
# Needs Node.js >= 20.18.1 with npm. Touches the network only through npm, and only when installing
# from the registry. POSIX sh.
set -eu

min_node=20.18.1
from=
prefix=
version=latest
uninstall=0
run_setup=1

say() { printf 'safe-pip install: %s\n' "$*" >&2; }
die() {
  printf 'safe-pip install: error: %s\n' "$1" >&2
  [ $# -lt 2 ] || printf 'hint: %s\n' "$2" >&2
  exit "${3:-1}"
}
usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case $1 in
    --from) [ $# -ge 2 ] || die '--from needs a path' '' 2; from=$2; shift 2 ;;
    --from=*) from=${1#--from=}; shift ;;
    --prefix) [ $# -ge 2 ] || die '--prefix needs a directory' '' 2; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --version) [ $# -ge 2 ] || die '--version needs a version' '' 2; version=$2; shift 2 ;;
    --version=*) version=${1#--version=}; shift ;;
    --no-setup) run_setup=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    *) die "unknown argument \"$1\"" 'see install.sh --help' 2 ;;
  esac
done

# True when version $1 >= version $2 (both dotted numbers; missing parts count as 0).
version_at_least() {
  a=$1
  b=$2
  for _ in 1 2 3; do
    x=${a%%.*}; x=${x%%[!0-9]*}; x=${x:-0}
    y=${b%%.*}; y=${y%%[!0-9]*}; y=${y:-0}
    [ "$x" -gt "$y" ] && return 0
    [ "$x" -lt "$y" ] && return 1
    case $a in *.*) a=${a#*.} ;; *) a=0 ;; esac
    case $b in *.*) b=${b#*.} ;; *) b=0 ;; esac
  done
  return 0
}

check_node() {
  command -v node >/dev/null 2>&1 ||
    die "Node.js was not found on PATH; safe-pip needs Node.js >= $min_node" \
      'install it from https://nodejs.org/ (or with your package manager, nvm, fnm, volta), then run this again' 3
  command -v npm >/dev/null 2>&1 ||
    die "npm was not found on PATH (Node.js is at $(command -v node))" \
      'install npm (often the "npm" package next to "nodejs"), then run this again' 3
  node_version=$(node --version 2>/dev/null) || die 'cannot run `node --version`' '' 3
  node_version=${node_version#v}
  version_at_least "$node_version" "$min_node" ||
    die "Node.js $node_version is too old; safe-pip needs Node.js >= $min_node" \
      'upgrade Node.js (https://nodejs.org/), then run this again' 3
}

check_node
if [ "$uninstall" = 0 ] && [ -n "$from" ]; then
  [ -e "$from" ] || die "--from: \"$from\" does not exist"
  # An absolute path: npm reads "dir/name" as a GitHub repository, which would go to the network.
  case $from in /*) ;; *) from=$(cd "$(dirname "$from")" && pwd -P)/$(basename "$from") ;; esac
  if [ -d "$from" ]; then
    [ -f "$from/package.json" ] && grep -q '"name": *"safe-pip"' "$from/package.json" ||
      die "--from: \"$from\" is not a safe-pip checkout (no package.json named safe-pip)"
    [ -f "$from/dist/main.js" ] ||
      die "--from: \"$from\" is not built ($from/dist/main.js is missing)" "run \`npm install\` in $from first"
    say "installing safe-pip from the checkout $from (npm links it: later changes there take effect)"
  else
    case $from in
      *.tgz | *.tar.gz) say "installing safe-pip from $from" ;;
      *) die "--from: \"$from\" is neither a directory nor a .tgz made by \`npm pack\`" ;;
    esac
  fi
fi

if [ -n "$prefix" ]; then
  mkdir -p "$prefix"
  prefix=$(cd "$prefix" && pwd -P)
fi
# npm's own idea of the global bin directory, under --prefix when given.
if [ -n "$prefix" ]; then
  bin_dir=$(npm prefix --global --prefix "$prefix")/bin
else
  bin_dir=$(npm prefix --global)/bin
fi
safe_pip=$bin_dir/safe-pip

if [ "$uninstall" = 1 ]; then
  if [ -x "$safe_pip" ]; then
    "$safe_pip" teardown || die "\`$safe_pip teardown\` failed; the package was left installed" 'fix what it reported, then run install.sh --uninstall again'
  else
    say "$safe_pip not found: nothing to tear down"
  fi
  if [ -n "$prefix" ]; then
    npm uninstall --global --prefix "$prefix" safe-pip
  else
    npm uninstall --global safe-pip
  fi
  say 'safe-pip is uninstalled'
  exit 0
fi

if [ -n "$from" ]; then
  spec=$from
else
  spec=safe-pip@$version
  say "installing $spec from the npm registry"
fi
if [ -n "$prefix" ]; then
  npm install --global --prefix "$prefix" "$spec"
else
  npm install --global "$spec"
fi
[ -x "$safe_pip" ] || die "npm finished but $safe_pip is not there" 'check the npm output above'
say "installed $safe_pip"
# Not on PATH: say exactly which line to add, and where, for the shell setup is about to wire
# (`-- --shell NAME`, else $SHELL). pip and pip3 reach safe-pip through the rc block either way
# (it names safe-pip by its full path); only `safe-pip` typed by name needs PATH.
case ":${PATH-}:" in
  *":$bin_dir:"*) ;;
  *)
    shell_name=${SHELL:-sh}
    shell_name=${shell_name##*/}
    previous=
    for arg in "$@"; do
      case $previous in --shell) shell_name=$arg ;; esac
      case $arg in --shell=*) shell_name=${arg#--shell=} ;; esac
      previous=$arg
    done
    case $shell_name in
      fish) rc_file='~/.config/fish/config.fish'; line="fish_add_path $bin_dir" ;;
      zsh) rc_file='~/.zshrc'; line="export PATH=\"$bin_dir:\$PATH\"" ;;
      bash) rc_file='~/.bashrc'; line="export PATH=\"$bin_dir:\$PATH\"" ;;
      *) rc_file='your shell'"'"'s startup file (~/.profile for sh)'; line="export PATH=\"$bin_dir:\$PATH\"" ;;
    esac
    say "note: $bin_dir is not on your PATH; to run \`safe-pip\` by name, add this line to $rc_file:"
    printf '    %s\n' "$line" >&2
    ;;
esac

if [ "$run_setup" = 1 ]; then
  "$safe_pip" setup "$@" || die "\`safe-pip setup\` failed" "fix what it reported, then run \`$safe_pip setup\`"
fi
