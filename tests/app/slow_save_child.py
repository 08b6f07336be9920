"""Test helper run as a child process: save a big project through the core's atomic save, slowly.

The write is slowed by wrapping os.fdopen here (never in product code) so the parent can kill -9 the
process mid-write. It prints "writing" once the first chunk is on disk.
"""

import os
import sys
import time

from nnviz.core.document import Project, save_project
from nnviz.core.network import Network

real_fdopen = os.fdopen


class SlowFile:
    def __init__(self, f):
        self.f = f

    def write(self, text):
        for start in range(0, len(text), 4096):
            self.f.write(text[start : start + 4096])
            self.f.flush()
            if start == 0:
                print("writing", flush=True)
            time.sleep(0.01)

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.f.__exit__(*exc)


os.fdopen = lambda *args, **kwargs: SlowFile(real_fdopen(*args, **kwargs))
save_project(Project(Network.create([784, 64, 10], seed=1)), sys.argv[1])
