# Prints the InterpreterFacts (src/standards/interpreter-facts.ts) of the running interpreter as JSON.
# Test-only stand-in for src/io/interpreter-probe.ts; stdlib only, run with `python -I`.
import json, os, platform, sys, sysconfig

def glibc():
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION")
        name, version = text.split()
        return version if name == "glibc" else None
    except (AttributeError, OSError, ValueError):
        return None

try:
    import pip
    pip_version = pip.__version__
except Exception:
    pip_version = ""

impl = sys.implementation
iver = impl.version
impl_version = "{0.major}.{0.minor}.{0.micro}".format(iver)
if iver.releaselevel != "final":
    impl_version += iver.releaselevel[0] + str(iver.serial)
print(json.dumps({
    "executable": sys.executable,
    "pythonVersion": list(sys.version_info[:3]),
    "implementationName": impl.name,
    "markers": {
        "implementation_name": impl.name,
        "implementation_version": impl_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    },
    "sysconfigPlatform": sysconfig.get_platform(),
    "extSuffix": sysconfig.get_config_var("EXT_SUFFIX"),
    "soabi": sysconfig.get_config_var("SOABI"),
    "freeThreaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "debugBuild": bool(sysconfig.get_config_var("Py_DEBUG")),
    "is64bit": sys.maxsize > 2**32,
    "glibcVersion": glibc(),
    "muslVersion": None,
    "macVersion": platform.mac_ver()[0] or None,
    "prefix": sys.prefix,
    "basePrefix": sys.base_prefix,
    "pipVersion": pip_version,
}))
