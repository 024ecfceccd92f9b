# In-tree PEP 517 build backend of a safe-pip canary (test fixture).
# https://peps.python.org/pep-0517/ and PEP 660 hooks; pure Python, stdlib only, so that
# `requires = []` works with no index at all. Every hook (and the import itself) leaves a marker.
@MARK@
_canary_mark("backend-import")

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = @NAME_PY@
VERSION = @VERSION_PY@
PACKAGE = @PACKAGE_PY@
REQUIRES = @REQUIRES_PY@
ESCAPED = @ESCAPED_PY@
DIST_INFO = ESCAPED + "-" + VERSION + ".dist-info"


def _metadata():
    lines = ["Metadata-Version: 2.1", "Name: " + NAME, "Version: " + VERSION]
    lines += ["Requires-Dist: " + r for r in REQUIRES]
    return "\n".join(lines) + "\n\n"


def get_requires_for_build_wheel(config_settings=None):
    _canary_mark("get_requires_for_build_wheel")
    return []


def get_requires_for_build_sdist(config_settings=None):
    _canary_mark("get_requires_for_build_sdist")
    return []


def get_requires_for_build_editable(config_settings=None):
    _canary_mark("get_requires_for_build_editable")
    return []


def _write_metadata(metadata_directory):
    target = os.path.join(metadata_directory, DIST_INFO)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    return DIST_INFO


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    _canary_mark("prepare_metadata_for_build_wheel")
    return _write_metadata(metadata_directory)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    _canary_mark("prepare_metadata_for_build_editable")
    return _write_metadata(metadata_directory)


def _record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _build_wheel(wheel_directory):
    entries = []
    for root, _dirs, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                entries.append((path.replace(os.sep, "/"), f.read()))
    entries.append((DIST_INFO + "/METADATA", _metadata().encode("utf-8")))
    wheel = "Wheel-Version: 1.0\nGenerator: canary_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n"
    entries.append((DIST_INFO + "/WHEEL", wheel.encode("utf-8")))
    record = "".join("%s,%s,%d\n" % (p, _record_hash(d), len(d)) for p, d in entries)
    record += DIST_INFO + "/RECORD,,\n"
    entries.append((DIST_INFO + "/RECORD", record.encode("utf-8")))
    filename = ESCAPED + "-" + VERSION + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in entries:
            z.writestr(path, data)
    return filename


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _canary_mark("build_wheel")
    return _build_wheel(wheel_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _canary_mark("build_editable")
    return _build_wheel(wheel_directory)


def build_sdist(sdist_directory, config_settings=None):
    _canary_mark("build_sdist")
    stem = ESCAPED + "-" + VERSION
    filename = stem + ".tar.gz"
    pkg_info = _metadata().encode("utf-8")
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for path in ["pyproject.toml", "canary_backend.py"]:
            tar.add(path, arcname=stem + "/" + path)
        tar.add(PACKAGE, arcname=stem + "/" + PACKAGE)
        info = tarfile.TarInfo(stem + "/PKG-INFO")
        info.size = len(pkg_info)
        tar.addfile(info, io.BytesIO(pkg_info))
    return filename
