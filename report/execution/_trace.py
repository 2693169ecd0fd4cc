"""Runs inside the kernel: records what a document's code reads, so the execution cache can key on it.

This file is sent to the kernel as source text and executed in a private
namespace (see report.execution.execute); it is never imported by the engine itself.

Recorded while a document runs:
- files opened for reading (Python audit event ``open``, which also covers
  ``io.open_code``, so imported source files show up), with their size and
  modification time at the moment they were opened;
- paths whose existence or type was asked (``os.stat``/``os.lstat``, which
  ``os.path.exists``, ``Path.is_file`` and friends call): code that picks a
  file by looking for it depends on what it found, and C libraries that open
  files themselves (not seen by the audit hook) are usually preceded by such a
  check;
- folder listings (audit events ``os.listdir`` and ``os.scandir``: ``glob``,
  ``Path.iterdir``);
- environment variables read through ``os.environ``/``os.getenv``;
- every module imported from outside the interpreter's own folders (the
  project's local packages), by file.

Files of the interpreter and its installed packages are left out: the cache
key holds the Python and package versions instead. So are volatile places
(the kernel's own private folder, cache and runtime folders, the project's cache folder
``$REPORT_CACHE_DIR``, /proc, /sys, /dev).
"""

import os
import sys


class Recorder:
    def __init__(self):
        import site
        import sysconfig

        # Not the whole temporary folder: a project, or its data, may well live there.
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                    "/proc", "/sys", "/dev", "/etc", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/run"}
        prefixes.update(sysconfig.get_paths().values())
        prefixes.update(getattr(site, "getsitepackages", lambda: [])())
        home = os.path.expanduser("~")
        prefixes.update(os.path.join(home, name) for name in (".cache", ".config", ".ipython", ".local",
                                                               ".matplotlib", ".jupyter"))
        # REPORT_CACHE_DIR: the project's own caches (report.execution.isolation), derived from inputs that
        # the code reading them reads as well.
        for variable in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "IPYTHONDIR", "JUPYTER_RUNTIME_DIR",
                         "MPLCONFIGDIR", "REPORT_CACHE_DIR"):
            if os.environ.get(variable):
                prefixes.add(os.environ[variable])
        self.excluded = tuple(sorted({os.path.join(os.path.realpath(prefix), "") for prefix in prefixes if prefix}))
        self.site_packages = tuple(os.path.join(os.path.realpath(path), "") for path in
                                   [*getattr(site, "getsitepackages", lambda: [])(),
                                    sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
        self.active = False
        # Environment variables are recorded from the start, not only while a document runs: packages
        # imported ahead of the document (report.execution._kernels) read theirs at import time.
        self.env = {}
        self.watching_env = True
        self.reset()
        self._stat = os.stat
        self._lstat = os.lstat
        sys.addaudithook(self.audit)
        os.stat = self._wrap(os.stat)
        os.lstat = self._wrap(os.lstat)
        environ_type = type(os.environ)
        original_getitem = environ_type.__getitem__
        recorder = self

        def getitem(mapping, key):
            try:
                value = original_getitem(mapping, key)
            except KeyError:
                if recorder.watching_env and mapping is os.environ:
                    recorder.env.setdefault(str(key), None)
                raise
            if recorder.watching_env and mapping is os.environ:
                recorder.env.setdefault(str(key), value)
            return value

        environ_type.__getitem__ = getitem

    def reset(self):
        self.opened = {}
        self.written = set()
        self.listed = set()
        self.stated = set()

    def relevant(self, path):
        """The absolute path if it can change a document's results, else None."""
        if isinstance(path, int) or path is None:
            return None
        try:
            path = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        if path.startswith(self.excluded) or "/__pycache__/" in path:
            return None
        return path

    def audit(self, event, args):
        if not self.active:
            return
        if event == "open":
            path = self.relevant(args[0])
            if path is None:
                return
            mode, flags = args[1], args[2]
            if mode is not None:
                writing = any(char in mode for char in "wax+")
                reading = "r" in mode or "+" in mode
            else:
                access = flags & os.O_ACCMODE
                writing = access != os.O_RDONLY or bool(flags & (os.O_CREAT | os.O_TRUNC | os.O_APPEND))
                reading = access != os.O_WRONLY
            if writing:
                self.written.add(path)
            elif reading and path not in self.opened:
                try:
                    status = self._stat(path)
                    self.opened[path] = [status.st_size, status.st_mtime_ns]
                except OSError:
                    self.opened[path] = None
        elif event in ("os.listdir", "os.scandir"):
            # The import system lists every folder on sys.path it searches; what it found is covered by the
            # files of the imported modules, and a new file beside them must not invalidate anything.
            if sys._getframe(1).f_code.co_filename.startswith("<frozen importlib"):
                return
            path = self.relevant(args[0] if args and args[0] is not None else ".")
            if path is not None:
                self.listed.add(path)

    def _wrap(self, function):
        recorder = self

        def traced(path, *args, **kwargs):
            if recorder.active and not isinstance(path, int):
                relevant = recorder.relevant(path)
                if relevant is not None:
                    recorder.stated.add(relevant)
            return function(path, *args, **kwargs)

        traced.__wrapped__ = function
        traced.__name__ = function.__name__
        traced.__doc__ = function.__doc__
        return traced

    def begin(self, cwd, private, launch_env):
        """Start recording for a new document.

        ``private`` is the engine's folder for this kernel (sockets, matplotlibrc); environment variables the
        kernel machinery changed are not the user's input.
        """
        self.excluded = self.excluded + (os.path.join(os.path.realpath(private), ""),)
        os.chdir(cwd)
        if "" not in sys.path:
            sys.path.insert(0, "")
        self.watching_env = False  # comparing the whole environment is the engine's reading, not the document's
        try:
            current = dict(os.environ)
        finally:
            self.watching_env = True
        self.ignored_env = {name for name in set(current) | set(launch_env) if current.get(name) != launch_env.get(name)}
        self.reset()
        self.active = True

    def pause(self):
        """Stop recording until resume(): a kernel that ran a document's first cells is about to be copied."""
        import random

        self.active = False
        self.watching_env = False
        # A copy goes on as the one kernel would, with the random state the first cells left (a seed they set):
        # Python reseeds `random` in a forked process, and the kernel machinery in between may draw from it.
        self.random_state = random.getstate()

    def resume(self):
        """Go on recording in a copy of a paused kernel (report.execution.shared_prefix): what the first cells
        read stays recorded. (The copy's own folder holds only sockets and its connection file, read while paused.)"""
        import random

        random.setstate(self.random_state)
        self.watching_env = True
        self.active = True

    def finish(self):
        self.active = False
        self.watching_env = False
        modules, packages = set(), set()
        for name, module in list(sys.modules.items()):
            location = getattr(module, "__file__", None)
            if not isinstance(location, str):
                continue
            absolute = os.path.abspath(location)
            if absolute.startswith(self.site_packages):
                packages.add(name.partition(".")[0])
            path = self.relevant(absolute)
            if path is not None:
                modules.add(path)
        return {
            "opened": {path: status for path, status in self.opened.items() if path not in self.written},
            "stated": sorted(self.stated - self.written - set(self.opened)),
            "listed": sorted(self.listed),
            "modules": sorted(modules),
            "env": {name: value for name, value in self.env.items() if name not in self.ignored_env},
            "packages": sorted(name for name in packages if not name.startswith("_")),
        }
