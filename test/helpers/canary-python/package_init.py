@MARK@
_canary_mark("package-import")
__version__ = @VERSION_PY@
