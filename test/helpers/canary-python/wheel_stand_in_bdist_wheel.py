# Stand-in for the `wheel` project's bdist_wheel command (test fixture, not the real thing).
# pip 23.x asks for `setuptools>=40.8.0` and `wheel` in the isolated build environment of a
# setup.py-only project, and setuptools 65's dist_info command calls bdist_wheel.egg2dist. This
# stand-in converts egg-info to dist-info and builds pure-Python py3-none-any wheels only, so
# that the setuptools canary can be built on a machine that has never seen PyPI.
import base64
import hashlib
import os
import re
import shutil
import tempfile
import zipfile

from setuptools import Command


def _escape(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def _requires_dist(requires_txt):
    out = []
    extra, marker = "", ""
    for raw in requires_txt.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            extra, _, marker = line[1:-1].partition(":")
            continue
        conditions = []
        if marker:
            conditions.append("(" + marker + ")")
        if extra:
            conditions.append('extra == "' + extra + '"')
        out.append(line + ("; " + " and ".join(conditions) if conditions else ""))
    return out


class bdist_wheel(Command):
    description = "stand-in bdist_wheel (pure-Python wheels only)"
    user_options = [
        ("dist-dir=", "d", "directory for the built wheel"),
        ("bdist-dir=", "b", "ignored"),
        ("plat-name=", "p", "ignored"),
        ("python-tag=", None, "ignored"),
        ("py-limited-api=", None, "ignored"),
        ("keep-temp", "k", "ignored"),
        ("universal", None, "ignored"),
    ]
    boolean_options = ["keep-temp", "universal"]

    def initialize_options(self):
        self.dist_dir = None
        self.bdist_dir = None
        self.plat_name = None
        self.python_tag = None
        self.py_limited_api = None
        self.keep_temp = False
        self.universal = False

    def finalize_options(self):
        if self.dist_dir is None:
            self.dist_dir = "dist"

    def egg2dist(self, egginfo_path, distinfo_path):
        with open(os.path.join(egginfo_path, "PKG-INFO"), encoding="utf-8") as f:
            pkg_info = f.read()
        headers, sep, body = pkg_info.partition("\n\n")
        # Without a description there is no blank line: the headers then end in "\n", which would
        # put the Requires-Dist lines below a blank line, in the body.
        headers = headers.rstrip("\n")
        requires_path = os.path.join(egginfo_path, "requires.txt")
        if os.path.exists(requires_path):
            with open(requires_path, encoding="utf-8") as f:
                headers += "".join("\nRequires-Dist: " + r for r in _requires_dist(f.read()))
        os.makedirs(distinfo_path, exist_ok=True)
        with open(os.path.join(distinfo_path, "METADATA"), "w", encoding="utf-8") as f:
            f.write(headers.rstrip("\n") + "\n\n" + body)
        for extra_file in ("entry_points.txt", "top_level.txt"):
            path = os.path.join(egginfo_path, extra_file)
            if os.path.exists(path):
                shutil.copy(path, distinfo_path)
        shutil.rmtree(egginfo_path)

    def run(self):
        self.run_command("build")
        build_lib = self.get_finalized_command("build").build_lib
        self.run_command("egg_info")
        egg_info = self.get_finalized_command("egg_info").egg_info
        name = _escape(self.distribution.get_name())
        version = self.distribution.get_version()
        dist_info = name + "-" + version + ".dist-info"
        entries = []
        for root, _dirs, files in os.walk(build_lib):
            for filename in sorted(files):
                path = os.path.join(root, filename)
                arcname = os.path.relpath(path, build_lib).replace(os.sep, "/")
                with open(path, "rb") as f:
                    entries.append((arcname, f.read()))
        with tempfile.TemporaryDirectory() as tmp:
            keep = os.path.join(tmp, "egg-info")
            shutil.copytree(egg_info, keep)
            self.egg2dist(keep, os.path.join(tmp, dist_info))
            for filename in sorted(os.listdir(os.path.join(tmp, dist_info))):
                with open(os.path.join(tmp, dist_info, filename), "rb") as f:
                    entries.append((dist_info + "/" + filename, f.read()))
        wheel = "Wheel-Version: 1.0\nGenerator: wheel-stand-in\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n"
        entries.append((dist_info + "/WHEEL", wheel.encode("utf-8")))
        record = ""
        for path, data in entries:
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
            record += "%s,sha256=%s,%d\n" % (path, digest, len(data))
        record += dist_info + "/RECORD,,\n"
        entries.append((dist_info + "/RECORD", record.encode("utf-8")))
        os.makedirs(self.dist_dir, exist_ok=True)
        target = os.path.join(self.dist_dir, name + "-" + version + "-py3-none-any.whl")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for path, data in entries:
                z.writestr(path, data)
