// The shell code that sends `pip`, `pip3`, `pip3.X` and `python... -m pip` through safe-pip
// (issue 5 §1). The same text goes into the rc-file block and is printed by `safe-pip init <shell>`.
//
// How it works, for every shell:
// - `pip` and `pip3` call the launcher bin/pip or bin/pip3 with nothing more: the launcher finds
//   the real pip on PATH at call time, skipping safe-pip launchers, so an activated virtualenv's
//   pip is the one it runs.
// - `pip3.X` and `python...` look the command up on PATH at call time and hand it to bin/pip as
//   SAFE_PIP_REAL_PIP (a pip command) or SAFE_PIP_REAL_PYTHON (a Python whose `-m pip` is the real
//   pip); the other variable is set empty so a value inherited from the environment cannot win.
// - `python`, `python3` and `python3.X` divert only when their first arguments are `-m pip` or
//   `-mpip`; anything else runs `command python… "$@"` untouched. Python options placed before
//   `-m` (`python -I -m pip`) are not diverted.
// - If the launcher is missing, or exits 43 (it could not start: no Node, safe-pip not built) or
//   126/127 (it could not be executed), the real command runs unprotected after one warning line.
//   Exit 42 (a refusal) and pip's own codes are returned as they are.
// - `pip3.X`/`python3.X` functions are defined for the names found on PATH when the shell starts;
//   a version that appears only later (a venv of another Python) is not covered by its versioned
//   name, but `pip`, `pip3` and `python -m pip` inside it are.
// - `safe-pip doctor` cannot see this shell's functions (a child process never can), so the code
//   also defines a `safe-pip` function: for `safe-pip doctor` only, it passes SAFE_PIP_SHELL_STATE
//   (SHELL_STATE_VARIABLE) to that one command — what pip, pip3, python and python3 are in this
//   very shell (`type`), the shell's PID and the launcher directory; every other `safe-pip ...`
//   runs unchanged. Nothing is exported, so a child shell without the functions (`bash -c`, a
//   script) has no state to pass, and doctor does not claim for it what only this shell has.
// Functions are defined with the `function name` form in bash and zsh so an alias of the same
// name (`alias python=python3`) is not expanded inside the definition.
import { quoteFish, quoteSh } from './shell-quote.js';

export type ShellKind = 'bash' | 'zsh' | 'fish';
export const SHELL_KINDS: readonly ShellKind[] = ['bash', 'zsh', 'fish'];

/** The line a safe-pip launcher carries second; the functions use it to spot a launcher on PATH. */
// The launchers' marker line (src/io/real-pip.ts); shims and shell functions test for it too.
export { LAUNCHER_MARKER } from '../io/real-pip.js';
import { LAUNCHER_MARKER } from '../io/real-pip.js';

/** What the `safe-pip` function passes to `safe-pip doctor` (src/doctor/loaded-integration.ts reads it). */
export const SHELL_STATE_VARIABLE = 'SAFE_PIP_SHELL_STATE';

/** The exit codes after which the functions fall back to the real pip (see the header). */
export const FALLBACK_EXIT_CODES = [43, 126, 127] as const;

const WARNING =
  'safe-pip: warning: safe-pip could not start; running %s WITHOUT its protection (reinstall safe-pip, or remove the shell integration with `safe-pip teardown`)';

/** The integration code for `shell`, calling the launchers in `launcherDir` (the package's bin/). */
export function shellIntegrationCode(shell: ShellKind, launcherDir: string): string {
  switch (shell) {
    case 'bash':
      return posixFamilyCode('bash', launcherDir);
    case 'zsh':
      return posixFamilyCode('zsh', launcherDir);
    case 'fish':
      return fishCode(launcherDir);
  }
}

function posixFamilyCode(shell: 'bash' | 'zsh', launcherDir: string): string {
  const lookup = shell === 'bash' ? 'type -P -- "$__safe_pip_name"' : 'whence -p -- "$__safe_pip_name"';
  // zsh does not split $PATH and needs (N) so an unmatched glob is empty rather than an error.
  const pathLoop = shell === 'bash' ? 'local IFS=:\n  for __safe_pip_d in ${PATH-}; do' : 'for __safe_pip_d in $path; do';
  const glob = shell === 'bash' ? '"${__safe_pip_d:-.}"/pip3.* "${__safe_pip_d:-.}"/python3.*' : '${__safe_pip_d:-.}/pip3.*(N) ${__safe_pip_d:-.}/python3.*(N)';
  const fallbacks = FALLBACK_EXIT_CODES.join('|');
  const ours = '*__safe_pip_run* | *__safe_pip_python*';
  const whatBody =
    shell === 'bash'
      ? `  case $(type -t -- "$1" 2>/dev/null) in
    function) case $(declare -f -- "$1") in ${ours}) echo safe-pip ;; *) echo function ;; esac ;;
    alias) echo alias ;;
    file) echo file ;;
    '') echo none ;;
    *) echo other ;;
  esac`
      : `  case $(whence -w -- "$1" 2>/dev/null) in
    *': function') case $(functions -- "$1") in ${ours}) echo safe-pip ;; *) echo function ;; esac ;;
    *': alias') echo alias ;;
    *': command' | *': hashed') echo file ;;
    *': none' | '') echo none ;;
    *) echo other ;;
  esac`;
  return `# safe-pip shell integration (${shell}): pip, pip3, pip3.X and python... -m pip go through safe-pip.
__safe_pip_bin=${quoteSh(launcherDir)}
function __safe_pip_is_launcher {
  local __safe_pip_l1 __safe_pip_l2=
  { IFS= read -r __safe_pip_l1 && IFS= read -r __safe_pip_l2; } <"$1" 2>/dev/null
  case $__safe_pip_l2 in ${quoteSh(LAUNCHER_MARKER)}*) return 0 ;; esac
  return 1
}
# $1: pip (the real pip is a pip command) or python (it is \`<python> -m pip\`); $2: the name typed.
function __safe_pip_run {
  local __safe_pip_kind=$1 __safe_pip_name=$2 __safe_pip_real __safe_pip_status
  shift 2
  __safe_pip_real=$(${lookup} 2>/dev/null) || __safe_pip_real=
  case $__safe_pip_kind:$__safe_pip_name in
    pip:pip | pip:pip3)
      if [ -x "$__safe_pip_bin/$__safe_pip_name" ]; then
        SAFE_PIP_REAL_PYTHON= "$__safe_pip_bin/$__safe_pip_name" "$@"
        __safe_pip_status=$?
        case $__safe_pip_status in ${fallbacks}) ;; *) return $__safe_pip_status ;; esac
      fi
      ;;
    *)
      if [ -z "$__safe_pip_real" ]; then
        # Not on PATH: let the shell say so, exactly as without safe-pip.
        if [ "$__safe_pip_kind" = python ]; then command "$__safe_pip_name" -m pip "$@"; else command "$__safe_pip_name" "$@"; fi
        return
      fi
      if [ "$__safe_pip_kind" = pip ] && __safe_pip_is_launcher "$__safe_pip_real"; then
        "$__safe_pip_real" "$@"
        return
      fi
      if [ -x "$__safe_pip_bin/pip" ]; then
        if [ "$__safe_pip_kind" = python ]; then
          SAFE_PIP_REAL_PIP= SAFE_PIP_REAL_PYTHON=$__safe_pip_real "$__safe_pip_bin/pip" "$@"
        else
          SAFE_PIP_REAL_PYTHON= SAFE_PIP_REAL_PIP=$__safe_pip_real "$__safe_pip_bin/pip" "$@"
        fi
        __safe_pip_status=$?
        case $__safe_pip_status in ${fallbacks}) ;; *) return $__safe_pip_status ;; esac
      fi
      ;;
  esac
  if [ -z "$__safe_pip_real" ]; then command "$__safe_pip_name" "$@"; return; fi
  printf ${quoteSh(`${WARNING}\\n`)} "$__safe_pip_real" >&2
  if [ "$__safe_pip_kind" = python ]; then command "$__safe_pip_real" -m pip "$@"; else command "$__safe_pip_real" "$@"; fi
}
function __safe_pip_python {
  local __safe_pip_name=$1
  shift
  case \${1-} in
    -mpip) shift ;;
    -m) if [ "\${2-}" = pip ]; then shift 2; else command "$__safe_pip_name" "$@"; return; fi ;;
    *) command "$__safe_pip_name" "$@"; return ;;
  esac
  __safe_pip_run python "$__safe_pip_name" "$@"
}
function pip { __safe_pip_run pip pip "$@"; }
function pip3 { __safe_pip_run pip pip3 "$@"; }
function python { __safe_pip_python python "$@"; }
function python3 { __safe_pip_python python3 "$@"; }
function __safe_pip_define_versioned {
  local __safe_pip_d __safe_pip_f __safe_pip_n
  ${pathLoop}
    for __safe_pip_f in ${glob}; do
      __safe_pip_n=\${__safe_pip_f##*/}
      [ -x "$__safe_pip_f" ] || continue
      case $__safe_pip_n in
        pip3.[0-9] | pip3.[0-9][0-9]) eval "function $__safe_pip_n { __safe_pip_run pip $__safe_pip_n \\"\\$@\\"; }" ;;
        python3.[0-9] | python3.[0-9][0-9]) eval "function $__safe_pip_n { __safe_pip_python $__safe_pip_n \\"\\$@\\"; }" ;;
      esac
    done
  done
}
__safe_pip_define_versioned 2>/dev/null
unset -f __safe_pip_define_versioned
# What a name is in this shell: safe-pip (one of these functions), function, alias, file, none, other.
function __safe_pip_what {
${whatBody}
}
function __safe_pip_shell_state {
  printf 'shell=${shell}\\npid=%s\\npip=%s\\npip3=%s\\npython=%s\\npython3=%s\\nbin=%s\\n' "$$" \\
    "$(__safe_pip_what pip)" "$(__safe_pip_what pip3)" "$(__safe_pip_what python)" "$(__safe_pip_what python3)" "$__safe_pip_bin"
}
# Tells \`safe-pip doctor\` (and only it) what this shell has loaded; see the header of shell-integration.ts.
function safe-pip {
  if [ "\${1-}" = doctor ]; then
    ${SHELL_STATE_VARIABLE}=$(__safe_pip_shell_state) command safe-pip "$@"
  else
    command safe-pip "$@"
  fi
}
`;
}

function fishCode(launcherDir: string): string {
  const fallbacks = FALLBACK_EXIT_CODES.join(' ');
  return `# safe-pip shell integration (fish): pip, pip3, pip3.X and python... -m pip go through safe-pip.
set -g __safe_pip_bin ${quoteFish(launcherDir)}
function __safe_pip_is_launcher --argument-names file
    test -f "$file"; or return 1
    begin
        read -l first
        read -l second
        string match -q -- ${quoteFish(`${LAUNCHER_MARKER}*`)} "$second"
    end <$file 2>/dev/null
end
# argv[1]: pip (the real pip is a pip command) or python (it is \`<python> -m pip\`); argv[2]: the name typed.
function __safe_pip_run
    set -l kind $argv[1]
    set -l name $argv[2]
    set -l args $argv[3..-1]
    set -l real (command -s -- $name)
    set real $real[1]
    if test "$kind:$name" = pip:pip; or test "$kind:$name" = pip:pip3
        if test -x "$__safe_pip_bin/$name"
            SAFE_PIP_REAL_PYTHON= "$__safe_pip_bin/$name" $args
            set -l st $status
            contains -- $st ${fallbacks}; or return $st
        end
    else
        if test -z "$real"
            if test $kind = python
                command $name -m pip $args
            else
                command $name $args
            end
            return $status
        end
        if test $kind = pip; and __safe_pip_is_launcher $real
            $real $args
            return $status
        end
        if test -x "$__safe_pip_bin/pip"
            if test $kind = python
                SAFE_PIP_REAL_PIP= SAFE_PIP_REAL_PYTHON=$real "$__safe_pip_bin/pip" $args
            else
                SAFE_PIP_REAL_PYTHON= SAFE_PIP_REAL_PIP=$real "$__safe_pip_bin/pip" $args
            end
            set -l st $status
            contains -- $st ${fallbacks}; or return $st
        end
    end
    if test -z "$real"
        command $name $args
        return $status
    end
    printf ${quoteFish(`${WARNING}\\n`)} $real >&2
    if test $kind = python
        command $real -m pip $args
    else
        command $real $args
    end
end
function __safe_pip_python
    set -l name $argv[1]
    set -l args $argv[2..-1]
    if set -q args[1]; and test "$args[1]" = -mpip
        set -e args[1]
    else if set -q args[2]; and test "$args[1]" = -m; and test "$args[2]" = pip
        set -e args[1..2]
    else
        command $name $args
        return $status
    end
    __safe_pip_run python $name $args
end
function pip
    __safe_pip_run pip pip $argv
end
function pip3
    __safe_pip_run pip pip3 $argv
end
function python
    __safe_pip_python python $argv
end
function python3
    __safe_pip_python python3 $argv
end
for __safe_pip_f in $PATH/pip3.* $PATH/python3.*
    set -l __safe_pip_n (string replace -r '.*/' '' -- $__safe_pip_f)
    test -x $__safe_pip_f; or continue
    if string match -qr '^pip3\\.[0-9]{1,2}$' -- $__safe_pip_n
        function $__safe_pip_n
            __safe_pip_run pip (status current-function) $argv
        end
    else if string match -qr '^python3\\.[0-9]{1,2}$' -- $__safe_pip_n
        function $__safe_pip_n
            __safe_pip_python (status current-function) $argv
        end
    end
end
set -e __safe_pip_f
# What a name is in this shell: safe-pip (one of these functions), function, file, none, other.
function __safe_pip_what --argument-names name
    set -l kind (type -t -- $name 2>/dev/null)
    switch "$kind"
        case function
            if functions -- $name | string match -q -r -- '__safe_pip_(run|python)'
                echo safe-pip
            else
                echo function
            end
        case file
            echo file
        case ''
            echo none
        case '*'
            echo other
    end
end
function __safe_pip_shell_state
    printf '%s\\n' shell=fish pid=$fish_pid pip=(__safe_pip_what pip) pip3=(__safe_pip_what pip3) python=(__safe_pip_what python) python3=(__safe_pip_what python3) bin=$__safe_pip_bin
end
# Tells \`safe-pip doctor\` (and only it) what this shell has loaded; see the header of shell-integration.ts.
function safe-pip
    if test "$argv[1]" = doctor
        ${SHELL_STATE_VARIABLE}=(__safe_pip_shell_state | string collect) command safe-pip $argv
    else
        command safe-pip $argv
    end
end
`;
}
