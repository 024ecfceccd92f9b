# Calls packaging.tags functions (the installed packaging, 26.2 on this machine) with explicit
# arguments read as JSON from stdin: [{"fn": name, "args": [...], "kwargs": {...}, "linux": {...}}],
# and prints the results as lists of strings. "linux" patches the detected glibc/musl/platform so
# `_linux_platforms` can be asked about machines other than this one; "config" overrides the
# sysconfig variables packaging reads (Py_DEBUG, Py_GIL_DISABLED, EXT_SUFFIX) for that call.
import json, sys, sysconfig
import packaging
from packaging import tags, _manylinux, _musllinux

def run(call):
    fn = call["fn"]
    args = [tuple(a) if isinstance(a, list) and fn in ("mac_platforms", "ios_platforms") and i == 0 else a
            for i, a in enumerate(call.get("args", []))]
    kwargs = dict(call.get("kwargs", {}))
    if fn in ("cpython_tags", "compatible_tags") and "python_version" in kwargs:
        kwargs["python_version"] = tuple(kwargs["python_version"])
    if fn == "_linux_platforms":
        linux = call["linux"]
        glibc = linux.get("glibc")
        musl = linux.get("musl")
        _manylinux._get_glibc_version = lambda: tuple(int(p) for p in glibc.split(".")[:2]) if glibc else (-1, -1)
        _manylinux._is_linux_armhf = lambda executable: True
        _manylinux._is_linux_i686 = lambda executable: True
        _musllinux._get_musl_version = (
            (lambda executable: _musllinux._MuslVersion(*[int(p) for p in musl.split(".")[:2]])) if musl
            else (lambda executable: None))
        sysconfig.get_platform = lambda: linux["platform"]
        return list(tags._linux_platforms(is_32bit=not linux["is64bit"]))
    config = call.get("config")
    if config is not None:
        real = sysconfig.get_config_var
        tags._get_config_var = lambda name, warn=False: config[name] if name in config else real(name)
    result = getattr(tags, fn)(*args, **kwargs)
    return [str(item) for item in result]

print(json.dumps({"packaging": packaging.__version__, "results": [run(c) for c in json.load(sys.stdin)]}))
