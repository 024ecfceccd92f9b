#!/bin/sh
# Dev Container Feature "safe-pip" (https://containers.dev/implementors/features/): runs as root
# while the image is built. Installs safe-pip system-wide with npm, makes pip shims in
# /usr/local/share/safe-pip/shims (first on PATH through containerEnv in devcontainer-feature.json,
# and again through /etc/profile.d for login shells, which reset PATH), loads the shell
# integration (`safe-pip init`) for every user's interactive bash, zsh and fish so `python -m pip`
# and activated virtualenvs are covered too, and with the onlyBinaryEnv option sets
# PIP_ONLY_BINARY=:all: for login shells, interactive shells and PAM sessions.
#
# Options arrive as upper-cased environment variables (spec: "Options ... are provided as
# environment variables"): VERSION (default latest), PACKAGE (default: none, the registry),
# ONLYBINARYENV (default true).
# PACKAGE is for offline or pinned images: an `npm pack` tarball (a relative path is taken from
# this feature's folder, where the devcontainer CLI copies everything next to install.sh), a
# pinned npm spec (safe-pip@0.1.0) or a git URL; anything npm install accepts.
# For tests:
#   SAFE_PIP_FEATURE_ROOT     a directory standing for / (npm prefix <root>/usr/local, <root>/etc)
#   SAFE_PIP_FEATURE_PACKAGE  the same as PACKAGE (a local checkout or tarball)
set -eu

root=${SAFE_PIP_FEATURE_ROOT:-}
version=${VERSION:-latest}
only_binary=${ONLYBINARYENV:-true}
package=${PACKAGE:-${SAFE_PIP_FEATURE_PACKAGE:-}}
feature_dir=$(cd "$(dirname "$0")" && pwd)
min_node=20.18.1
share=$root/usr/local/share/safe-pip
shims=$share/shims
marker='# safe-pip (Dev Container Feature)'

say() { printf 'safe-pip feature: %s\n' "$*" >&2; }
die() { printf 'safe-pip feature: error: %s\n' "$*" >&2; exit 1; }

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

# The node feature installs through nvm and puts it on PATH only via containerEnv.
if ! command -v npm >/dev/null 2>&1 && [ -x /usr/local/share/nvm/current/bin/npm ]; then
  PATH=/usr/local/share/nvm/current/bin:$PATH
fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  die "Node.js >= $min_node with npm is needed; add \"ghcr.io/devcontainers/features/node\" to the features in devcontainer.json (this feature installs after it)"
node_version=$(node --version)
node_version=${node_version#v}
version_at_least "$node_version" "$min_node" ||
  die "Node.js $node_version is too old; safe-pip needs >= $min_node (set the node feature's \"version\" option)"

if [ -n "$root" ]; then
  set -- --prefix "$root/usr/local"
else
  set --
fi
case $package in
  ./* | ../*)
    package=$feature_dir/${package#./}
    [ -e "$package" ] || die "the package option names $package, which does not exist (put the \`npm pack\` tarball in the feature folder next to install.sh)"
    ;;
esac
if [ -n "$package" ]; then
  spec=$package
else
  spec=safe-pip@$version
fi
say "installing $spec"
npm install --global "$@" "$spec"
package_dir=$(npm root --global "$@")/safe-pip
safe_pip=$package_dir/bin/safe-pip
[ -x "$safe_pip" ] || die "npm finished but $safe_pip is not there"

"$safe_pip" setup --ci --dir "$shims" >/dev/null
for shell in bash zsh fish; do
  "$safe_pip" init "$shell" >"$share/init.$shell"
done
chmod -R a+rX "$share"

# Appends the block "$2" to the file "$1" unless it already has one (re-running the build is safe).
add_block() {
  mkdir -p "$(dirname "$1")"
  if [ -f "$1" ] && grep -qF "$marker" "$1"; then return 0; fi
  if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then printf '\n' >>"$1"; fi
  printf '%s\n%s\n' "$marker" "$2" >>"$1"
}

only_binary_sh=
only_binary_fish=
case $only_binary in
  true | TRUE | True | 1 | yes)
    only_binary_sh=': "${PIP_ONLY_BINARY=:all:}"; export PIP_ONLY_BINARY'
    only_binary_fish='set -q PIP_ONLY_BINARY; or set -gx PIP_ONLY_BINARY :all:'
    add_block "$root/etc/environment" 'PIP_ONLY_BINARY=:all:'
    ;;
  false | FALSE | False | 0 | no | '') ;;
  *) die "onlyBinaryEnv must be true or false, not \"$only_binary\"" ;;
esac

profile=$root/etc/profile.d/safe-pip.sh
mkdir -p "$(dirname "$profile")"
cat >"$profile" <<PROFILE
$marker: pip shims first on PATH (login shells reset PATH after containerEnv).
case ":\${PATH-}:" in *":$shims:"*) ;; *) PATH="$shims:\${PATH-}"; export PATH ;; esac
$only_binary_sh
PROFILE

# Interactive shells of every user: PATH, the variable, and the functions for python -m pip / venvs.
if [ -f "$root/etc/bash.bashrc" ]; then
  add_block "$root/etc/bash.bashrc" ". '$profile'
[ -r '$share/init.bash' ] && . '$share/init.bash'"
fi
if [ -d "$root/etc/zsh" ]; then
  add_block "$root/etc/zsh/zshrc" "emulate sh -c \". '$profile'\"
[ -r '$share/init.zsh' ] && . '$share/init.zsh'"
fi
if [ -d "$root/etc/fish" ]; then
  add_block "$root/etc/fish/conf.d/safe-pip.fish" "contains -- '$shims' \$PATH; or set -gx PATH '$shims' \$PATH
$only_binary_fish
test -r '$share/init.fish'; and source '$share/init.fish'"
fi
say "installed; pip shims in $shims"
