"""A development daemon (no server.conf) on its own embedded PostgreSQL, bound to a loopback
address, with nodes registered the way dhcpd's hook registers them and a client home whose
config points at it. Shared by client.py and hot_functions.py. Stopped and its state removed
on exit, also on failure."""
import os
import shutil
import subprocess
import tempfile
import time


class DevDaemon:
    def __init__(self, walt, address="127.0.0.97", nodes=20):
        self.walt, self.address, self.nodes = walt, address, nodes
        self.state = self.process = None

    def __enter__(self):
        self.state = tempfile.mkdtemp(prefix="walt-dev-daemon-")
        os.chmod(self.state, 0o755)  # the embedded cluster runs as postgres below it
        try:
            self._start()
            for i in range(self.nodes):
                self.register(i, check=True)
            os.makedirs(os.path.join(self.home, ".walt"))
            with open(os.path.join(self.home, ".walt", "config"), "w") as f:
                f.write(f"walt:\n    server: {self.address}\n    username: bench\n")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    @property
    def home(self):
        return os.path.join(self.state, "home")

    def client_env(self, **extra):
        """The environment of a client run by a user whose home is the daemon's."""
        return dict({"HOME": self.home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}, **extra)

    def register_argv(self, i):
        """walt-dhcp-event's arguments for node `i`, as isc-dhcp-server passes them."""
        return [self.walt, "commit", "walt.node.rpi-3-b", "", f"192.168.152.{10 + i}",
                f"b8:27:eb:00:01:{i:02x}", "", "0", "unknown"]

    def tool_env(self):
        return dict(os.environ, WALT_PERSONALITY="walt-dhcp-event", WALT_SERVER_DAEMON_HOST=self.address)

    def register(self, i, check=False):
        subprocess.run(self.register_argv(i), env=self.tool_env(), check=check, stdout=subprocess.DEVNULL)

    def _start(self):
        env = dict(os.environ, WALT_PERSONALITY="walt-server-daemon")
        log_path = os.path.join(self.state, "daemon.log")
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [self.walt, "--state-dir", os.path.join(self.state, "daemon"), "--bind", self.address],
                env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "walt-server-daemon ready" in open(log_path).read():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("the daemon did not start: " + open(log_path).read()[-500:])

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.state:
            shutil.rmtree(self.state, ignore_errors=True)
        return False
