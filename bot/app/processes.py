"""Worker processes that never outlive the process that started them.

With WEB_CONCURRENCY > 1, uvicorn's supervisor starts the web workers. If the supervisor is killed with SIGKILL it
cannot stop them, and orphaned workers would keep serving the port (a restart then fails with "Address already in
use"). Each worker therefore asks the kernel to send it SIGTERM when its parent dies (Linux prctl
PR_SET_PDEATHSIG), and, where that is not available, watches its parent id and stops when it changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1


def _pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0)
    except OSError:
        return False


def die_with_parent(poll_seconds: float = 1.0) -> None:
    """Make this process stop (SIGTERM, so it shuts down cleanly) when its parent goes away."""
    parent = os.getppid()
    armed = _pdeathsig()
    if armed and os.getppid() != parent:  # the parent died before the kernel was asked
        os.kill(os.getpid(), signal.SIGTERM)

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:
                log.warning("parent process %d is gone; stopping this worker", parent)
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(10)
                os._exit(1)  # SIGTERM did not stop us in time

    # Belt and braces: the death signal only fires when the parent's thread that forked us ends.
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
