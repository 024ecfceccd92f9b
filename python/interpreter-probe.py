# The interpreter probe (src/io/interpreter-probe.ts): the facts safe-pip needs of the Python the
# real pip runs under, as one JSON object shaped like InterpreterFacts
# (src/standards/interpreter-facts.ts), plus "pipImportPath" (where the real pip, run without -I,
# imports pip from; see installed-pip-version.ts), which the caller keeps in its cache entry rather
# than in the facts. Run two ways, with the same answers:
# - by safe-pip's Node, as `python -I -S -c <this file's text>`;
# - in the real pip's own Python, when the launcher starts it first (python/early-pip-loader.py),
#   which calls interpreter_facts() only where -I would change none of them.
# Standard library only, and no package code at all: pip's version is read from the text of the
# pip/__init__.py that `import pip` would run (pip_version). Without `site` (Node's -S), no
# package's .pth file runs either (nor costs what it imports: 30 ms here, where one imports
# certifi). What `site` would have set (sys.prefix in a venv, the site-packages folders pip is
# imported from) is then worked out as site.py works it out (without_site). Every import is paid
# on each cold start of a command: `json` and `platform` (which imports `re`) were two thirds of
# the probe's 25 ms, so the answer is written by _json's string encoder, and `platform` is loaded
# only where its answers are not plainly os.uname()'s and sys.version's (platform_facts). The
# marker values reproduce packaging.markers.default_environment() (packaging 26); glibc follows
# packaging._manylinux (os.confstr, then ctypes); musl follows packaging._musllinux (the ELF
# interpreter of sys.executable, then the version the musl loader prints). Works on Python 3.7+
# (the oldest Python pip 23.0 supports).
import os, sys, sysconfig

def full_version(info):
    version = "%d.%d.%d" % (info.major, info.minor, info.micro)
    if info.releaselevel != "final":
        version += info.releaselevel[0] + str(info.serial)
    return version

def glibc_version():
    try:
        _, version = os.confstr("CS_GNU_LIBC_VERSION").rsplit()
        return version
    except (AssertionError, AttributeError, OSError, ValueError):
        pass
    try:
        import ctypes
        try:
            process_namespace = ctypes.CDLL(None)
        except OSError:
            return None
        gnu_get_libc_version = process_namespace.gnu_get_libc_version
    except (ImportError, AttributeError):
        return None
    gnu_get_libc_version.restype = ctypes.c_char_p
    version = gnu_get_libc_version()
    return version.decode("ascii") if isinstance(version, bytes) else version

def elf_interpreter(path):
    import struct
    try:
        with open(path, "rb") as f:
            ident = f.read(16)
            if len(ident) < 16 or ident[:4] != b"\x7fELF":
                return None
            bits, endian = {1: 32, 2: 64}.get(ident[4]), {1: "<", 2: ">"}.get(ident[5])
            if bits is None or endian is None:
                return None
            if bits == 32:
                header, ph_format = "HHIIIIIHHH", "IIIIIIII"
            else:
                header, ph_format = "HHIQQQIHHH", "IIQQQQQQ"
            fields = struct.unpack(endian + header, f.read(struct.calcsize(header)))
            phoff, phentsize, phnum = fields[4], fields[8], fields[9]
            for i in range(phnum):
                f.seek(phoff + i * phentsize)
                ph = struct.unpack(endian + ph_format, f.read(struct.calcsize(ph_format)))
                if bits == 32:
                    p_type, p_offset, p_filesz = ph[0], ph[1], ph[4]
                else:
                    p_type, p_offset, p_filesz = ph[0], ph[2], ph[5]
                if p_type == 3:
                    f.seek(p_offset)
                    return f.read(p_filesz).strip(b"\0").decode("ascii", "replace")
    except (OSError, struct.error):
        return None
    return None

def musl_version():
    if not sys.platform.startswith("linux"):
        return None
    ld = elf_interpreter(sys.executable)
    if ld is None or "musl" not in ld:
        return None
    import re, subprocess
    try:
        proc = subprocess.run([ld], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, universal_newlines=True)
    except OSError:
        return None
    lines = [n for n in (n.strip() for n in proc.stderr.splitlines()) if n]
    if len(lines) < 2 or lines[0][:4] != "musl":
        return None
    m = re.match(r"Version (\d+)\.(\d+)", lines[1])
    return "%s.%s" % (m.group(1), m.group(2)) if m else None

def debug_build():
    value = sysconfig.get_config_var("Py_DEBUG")
    if value is None:
        return hasattr(sys, "gettotalrefcount")
    return bool(value)

def includes_system_site(conf):
    """include-system-site-packages of a venv's pyvenv.cfg, read as site.venv() reads it (true when
    absent; false when the file cannot be read, as a venv whose own site-packages alone counts)."""
    try:
        value = "true"
        with open(conf, encoding="utf-8") as f:
            for line in f:
                key, _, found = line.partition("=")
                if _ and key.strip().lower() == "include-system-site-packages":
                    value = found.strip().lower()
        return value == "true"
    except OSError:
        return False

def without_site():
    """What site.main() would have done to sys.prefix and sys.path, done here without running any
    .pth file (site.venv, site.addsitepackages): with a pyvenv.cfg next to the executable or in
    the folder above it (PEP 405), that folder becomes sys.prefix and sys.exec_prefix, and its
    site-packages come first, then the base prefixes' unless the venv excludes the system's site
    packages. Returns the site-packages folders that exist, in sys.path's order."""
    import site
    prefixes = list(site.PREFIXES)
    if sys.platform == "darwin" and "__PYVENV_LAUNCHER__" in os.environ:
        executable = os.environ["__PYVENV_LAUNCHER__"]
    else:
        executable = sys.executable
    exe_dir = os.path.dirname(os.path.abspath(executable))
    site_prefix = os.path.dirname(exe_dir)
    conf = next((c for c in (os.path.join(exe_dir, "pyvenv.cfg"), os.path.join(site_prefix, "pyvenv.cfg")) if os.path.isfile(c)), None)
    folders = []
    if conf is not None:
        # Before asking for the folders: Debian's getsitepackages() answers by sys.prefix.
        sys.prefix = sys.exec_prefix = site_prefix
        folders += site.getsitepackages([site_prefix])
        prefixes = [site_prefix] + prefixes if includes_system_site(conf) else [site_prefix]
    folders += site.getsitepackages(prefixes)
    found = []
    for folder in folders:
        if folder not in found and os.path.isdir(folder):
            found.append(folder)
    return found

def pip_version(sites):
    """The __version__ that `import pip` would give, without running pip: the one imported already
    (in the pip-first loader, pip's own), else the assignment in the pip/__init__.py that the import
    system would find on sys.path (and, without `site`, the site-packages folders)."""
    running = sys.modules.get("pip")
    if running is not None:
        return getattr(running, "__version__", None)
    try:
        from importlib.machinery import PathFinder
        spec = PathFinder.find_spec("pip", sys.path + sites if sys.flags.no_site else sys.path)
        if spec is None or not spec.has_location or not spec.origin:
            return None
        with open(spec.origin, encoding="utf-8") as f:
            for line in f:
                name, equals, value = line.partition("=")
                value = value.strip()
                if equals and name.strip() == "__version__" and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    return value[1:-1]
    except (ImportError, OSError, UnicodeDecodeError, ValueError):
        pass
    return None

def pip_import_path(sites):
    import site
    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    system_site = not in_venv or includes_system_site(os.path.join(sys.prefix, "pyvenv.cfg"))
    same_ids = not hasattr(os, "getuid") or (os.getuid() == os.geteuid() and os.getgid() == os.getegid())
    user = site.getusersitepackages() if system_site and same_ids and hasattr(site, "getusersitepackages") else None
    if sites is None:
        # Not the user site, which sys.path holds when this runs without -I (in the loader).
        sites = [p for p in sys.path if os.path.basename(p.rstrip(os.sep)) in ("site-packages", "dist-packages") and p != user]
    return {"userSite": user, "sitePackages": sites, "pythonVersion": "%d.%d" % sys.version_info[:2]}

def platform_facts():
    """platform.machine(), release(), system(), version(), python_version() and
    python_implementation(), which packaging's default_environment() reads. For CPython on Linux
    they are os.uname()'s fields ("unknown" read as "") and sys.version's first word (with ".0"
    added to a two-part version), as platform.uname() and platform._sys_version() have them in
    Python 3.7 to 3.13 (the test compares them there), without importing platform; anywhere
    else, platform answers."""
    version = sys.version.split()[0] if sys.version.strip() else ""
    plain = version != "" and all(c.isalnum() or c in "_.+" for c in version)
    if sys.platform == "linux" and sys.implementation.name == "cpython" and hasattr(os, "uname") and plain \
            and not any(other in sys.version for other in ("IronPython", "PyPy", "Brython")):
        system, _, release, kernel, machine = ("" if field == "unknown" else field for field in os.uname())
        if version.count(".") == 1:
            version += ".0"
        return {"machine": machine, "release": release, "system": system, "version": kernel,
                "python_version": version, "python_implementation": "CPython"}
    import platform
    return {"machine": platform.machine(), "release": platform.release(), "system": platform.system(),
            "version": platform.version(), "python_version": platform.python_version(),
            "python_implementation": platform.python_implementation()}

def interpreter_facts():
    if sys.platform == "darwin":
        import platform
        mac = platform.mac_ver()[0]
    else:
        mac = ""
    uname = platform_facts()
    import_path = pip_import_path(without_site() if sys.flags.no_site else None)
    facts = {
        "executable": sys.executable,
        "pythonVersion": list(sys.version_info[:3]),
        "implementationName": sys.implementation.name,
        "markers": {
            "implementation_name": sys.implementation.name,
            "implementation_version": full_version(sys.implementation.version),
            "os_name": os.name,
            "platform_machine": uname["machine"],
            "platform_release": uname["release"],
            "platform_system": uname["system"],
            "platform_version": uname["version"],
            "python_full_version": uname["python_version"],
            "platform_python_implementation": uname["python_implementation"],
            "python_version": ".".join(uname["python_version"].split(".")[:2]),
            "sys_platform": sys.platform,
        },
        "sysconfigPlatform": sysconfig.get_platform(),
        "extSuffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "soabi": sysconfig.get_config_var("SOABI"),
        "freeThreaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "debugBuild": debug_build(),
        "is64bit": sys.maxsize > 2**32,
        "glibcVersion": glibc_version() if sys.platform.startswith("linux") else None,
        "muslVersion": musl_version(),
        "macVersion": mac or None,
        "prefix": sys.prefix,
        "basePrefix": getattr(sys, "base_prefix", sys.prefix),
        "pipVersion": pip_version(import_path["sitePackages"]),
        "pipImportPath": import_path,
    }
    return facts


def to_json(value):
    """json.dumps(value) for the answer's types (None, bool, int, str, list, dict), with _json's
    C string encoder: importing json (and with it re and enum) costs 8 ms of a cold start."""
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:
        import json
        return json.dumps(value)
    def encode(v):
        if v is None:
            return "null"
        if v is True or v is False:
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            return quote(v)
        if isinstance(v, (list, tuple)):
            return "[" + ",".join(encode(item) for item in v) + "]"
        return "{" + ",".join(quote(key) + ":" + encode(item) for key, item in v.items()) + "}"
    return encode(value)


if __name__ == "__main__":
    sys.stdout.write(to_json(interpreter_facts()))
