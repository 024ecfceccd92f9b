# For {"supported": [tag, ...], "filenames": [wheel filename, ...]} on stdin, prints pip's own
# verdict per wheel: models/wheel.py Wheel(filename).support_index_min(supported) when
# Wheel.supported(supported), else null. Also {"versions": [...]} → cmdoptions._convert_python_version.
import json, sys
from pip._internal.models.wheel import Wheel
from pip._internal.cli.cmdoptions import _convert_python_version
from pip._vendor.packaging.tags import parse_tag

request = json.load(sys.stdin)
supported = [next(iter(parse_tag(t))) for t in request.get("supported", [])]
priorities = []
for filename in request.get("filenames", []):
    wheel = Wheel(filename)
    priorities.append(wheel.support_index_min(supported) if wheel.supported(supported) else None)
versions = []
for text in request.get("versions", []):
    info, error = _convert_python_version(text)
    versions.append({"info": list(info) if info is not None else None, "error": error})
print(json.dumps({"priorities": priorities, "versions": versions}))
