"""The real server as a subprocess: ``flask --app wsgi wms serve`` (gunicorn, one gthread worker)."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pg import ROOT, app_env


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Server:
    """Start with ``start()``, stop with ``stop()`` (idempotent); stdout and stderr go to ``log_path``."""

    def __init__(self, db_url: str, threads: int, log_path: Path, host: str = "127.0.0.1", workers: int = 1,
                 redis_url: str = ""):
        self.db_url, self.threads, self.log_path, self.host = db_url, threads, log_path, host
        self.workers, self.redis_url = workers, redis_url
        self.port = free_port(host)
        self.process: subprocess.Popen | None = None
        self.runtime_dir: str | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 60) -> None:
        """Launch the server (DB pool sized to its threads) and wait for ``GET /healthz`` to answer 200."""
        # gunicorn (>= 25) binds a control socket at $XDG_RUNTIME_DIR/gunicorn.ctl, else ~/.gunicorn/gunicorn.ctl,
        # and unlinks it on exit: a private directory keeps the bench from taking over (and then deleting)
        # the socket of another server running on this machine.
        self.runtime_dir = tempfile.mkdtemp(prefix="wms-bench-")
        extra = {"WMS_REDIS_URL": self.redis_url} if self.workers > 1 else {}
        env = app_env(self.db_url, WMS_DB_POOL_SIZE=str(self.threads), XDG_RUNTIME_DIR=self.runtime_dir, **extra)
        cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "wms", "serve", "--host", self.host,
               "--port", str(self.port), "--threads", str(self.threads), "--workers", str(self.workers)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            # Own session: Ctrl-C reaches only the bench, which then stops the server in order.
            self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            if self._healthy():
                return
            time.sleep(0.2)
        raise RuntimeError(f"server not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL after ``timeout`` seconds."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self.runtime_dir:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
            self.runtime_dir = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
