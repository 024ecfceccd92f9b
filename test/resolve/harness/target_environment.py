# Prints what the resolver needs to know about the target (this interpreter and its pip) as JSON:
# the PEP 508 marker environment (packaging's default_environment), sys.version_info[:3], pip's
# own ordered supported-tag list (what `pip debug --verbose` prints) and pip's version.
import json, os, platform, sys
import pip
from pip._internal.utils.compatibility_tags import get_supported

impl = sys.implementation
iver = impl.version
impl_version = "{0.major}.{0.minor}.{0.micro}".format(iver)
if iver.releaselevel != "final":
    impl_version += iver.releaselevel[0] + str(iver.serial)
print(json.dumps({
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
    "pythonVersion": list(sys.version_info[:3]),
    "supportedTags": [str(t) for t in get_supported()],
    "pipVersion": pip.__version__,
}))
