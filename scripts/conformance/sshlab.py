"""A throwaway OpenSSH server on 127.0.0.2… for recording multi-host conformance fixtures,
set up like Tests/TroupeTests/Support/SSHLab.swift (root needed: it uses the `troupetest`
account and starts /usr/sbin/sshd). Yields the extra variables that point the fixture
inventory's hosts (host1 ansible_host=127.0.0.2 …) at it."""
import contextlib, json, os, random, shutil, socket, subprocess, tempfile, time

USER = "troupetest"


def _free_port(addresses):
    for _ in range(50):
        port = random.randint(22000, 41999)
        try:
            for a in addresses:
                with socket.socket() as s:
                    s.bind((a, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port for the SSH lab")


@contextlib.contextmanager
def lab(host_count=3):
    if os.getuid() != 0:
        raise RuntimeError("the SSH lab needs root (it uses the troupetest account and starts sshd)")
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + host_count)]
    d = tempfile.mkdtemp(prefix="troupe-reclab.")
    os.chmod(d, 0o755)
    port = _free_port(hosts)
    key = os.path.join(d, "client_ed25519")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(d, "host_ed25519")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    shutil.copy(key + ".pub", os.path.join(d, "authorized_keys"))
    if subprocess.run(["id", "-u", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", USER], check=True)
    os.makedirs("/run/sshd", exist_ok=True)
    conf = os.path.join(d, "sshd.conf")
    with open(conf, "w") as f:
        f.write("\n".join([f"ListenAddress {h}:{port}" for h in hosts] + [
            f"HostKey {d}/host_ed25519", f"PidFile {d}/sshd.pid", f"AuthorizedKeysFile {d}/authorized_keys",
            "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes", "PermitRootLogin no", f"AllowUsers {USER}", "UseDNS no",
            "MaxStartups 200:30:400", "MaxSessions 100", "LogLevel ERROR", "PrintMotd no",
            "Subsystem sftp internal-sftp"]) + "\n")
    server = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", conf], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        for h in hosts:
            while True:
                try:
                    socket.create_connection((h, port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(f"sshd did not start on {h}:{port}")
                    time.sleep(0.05)
        yield {"ansible_port": port, "ansible_user": USER, "ansible_ssh_private_key_file": key}
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(d, ignore_errors=True)
