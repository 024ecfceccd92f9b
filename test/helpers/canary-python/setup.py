@MARK@
_canary_mark("setup-py")

from setuptools import setup

setup(
    name=@NAME_PY@,
    version=@VERSION_PY@,
    packages=[@PACKAGE_PY@],
    install_requires=@REQUIRES_PY@,
)
