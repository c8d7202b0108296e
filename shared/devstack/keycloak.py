"""Local Keycloak (development mode) as the identity provider of tests and development.

The server distribution is Maven Central's ``org.keycloak:keycloak-quarkus-dist`` zip, listed
in ``deploy/keycloak/pom.xml``, fetched once into ``.cache/keycloak`` and unpacked there. Each
instance runs from a copy of its own in ``<data_dir>/home`` (Keycloak writes its build and its
H2 database under its home), with the realms of ``deploy/keycloak/*-realm.json`` imported at
start, on a free port; it is ready when the realm's discovery document answers, and stopped by
its pid.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from shared.devstack import (
    REPO_ROOT,
    DevstackError,
    cmdline,
    file_lock,
    is_alive,
    log_size,
    log_tail,
    poll_until,
    read_pid,
    read_state,
    remove_file,
    spawn,
    terminate,
    write_pid,
    write_state,
)
from shared.devstack.ports import HOST, free_port

REALM = "vhh-limburg"
"""The realm of the platform's users (deploy/keycloak/vhh-limburg-realm.json)."""
_MARKER = ".devstack-complete.json"


@dataclass(frozen=True)
class Keycloak:
    """A running local Keycloak."""

    data_dir: Path
    port: int
    pid: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def issuer(self, realm: str = REALM) -> str:
        """The issuer of ``realm``'s tokens: what VHH_AUTH_OIDC_ISSUER must say."""
        return f"{self.url}/realms/{realm}"


def _deploy(repo_root: Path) -> Path:
    return repo_root / "deploy" / "keycloak"


def ensure_dist(repo_root: Path | None = None) -> Path:
    """The unpacked server distribution in ``.cache/keycloak`` (fetched by Maven when missing
    or when ``pom.xml`` changed); returns its directory (holding ``bin/kc.sh``)."""
    root = (repo_root or REPO_ROOT).resolve()
    pom = _deploy(root) / "pom.xml"
    cache = root / ".cache" / "keycloak"
    pom_hash = hashlib.sha256(pom.read_bytes()).hexdigest()
    dist = _complete(cache, pom_hash)
    if dist is None:
        with file_lock(cache / ".lock"):
            dist = _complete(cache, pom_hash) or _fetch(pom, cache, pom_hash)
    return dist


def _complete(cache: Path, pom_hash: str) -> Path | None:
    try:
        marker = json.loads((cache / _MARKER).read_text())
    except (OSError, ValueError):
        return None
    dist = cache / str(marker.get("dist", ""))
    if marker.get("pom_sha256") == pom_hash and (dist / "bin" / "kc.sh").is_file():
        return dist
    return None


def _fetch(pom: Path, cache: Path, pom_hash: str) -> Path:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise DevstackError("Maven ('mvn') is not on PATH; it is needed once to fetch Keycloak "
                            f"as listed in {pom} (e.g. `apt-get install -y maven`)")
    shutil.rmtree(cache, ignore_errors=True)
    zips = cache / "zip"
    cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
           "-DexcludeTransitive=true", f"-DoutputDirectory={zips}"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    gevonden = sorted(zips.glob("keycloak-quarkus-dist-*.zip"))
    if result.returncode != 0 or not gevonden:
        output = (result.stdout + result.stderr).strip().splitlines()[-40:]
        raise DevstackError(f"fetching Keycloak failed (exit {result.returncode}): "
                            f"{' '.join(cmd)}\n" + "\n".join(output))
    with zipfile.ZipFile(gevonden[-1]) as z:
        z.extractall(cache)
        top = {Path(n).parts[0] for n in z.namelist()}
        for info in z.infolist():  # zipfile drops the mode bits; kc.sh must stay executable
            modus = (info.external_attr >> 16) & 0o777
            if modus:
                (cache / info.filename).chmod(modus)
    if len(top) != 1:
        raise DevstackError(f"{gevonden[-1]} holds no single top directory: {sorted(top)}")
    [dist] = top
    gevonden[-1].unlink()  # unpacked, the zip is dead weight (Maven keeps its own copy)
    (cache / _MARKER).write_text(json.dumps({"pom_sha256": pom_hash, "dist": dist}) + "\n")
    return cache / dist


def _kopieer(bron: str, doel: str) -> None:
    # The jars are never written to: a hard link (no copy) where the file system allows.
    if "/lib/lib/" in bron:
        try:
            os.link(bron, doel)
            return
        except OSError:
            pass
    shutil.copy2(bron, doel)


def status(data_dir: Path) -> Keycloak | None:
    """The Keycloak running for ``data_dir``, or None."""
    data_dir = data_dir.resolve()
    pid = read_pid(data_dir / "keycloak.pid")
    port = read_state(data_dir / "devstack.json").get("port")
    home = str(data_dir / "home")
    if pid is None or port is None or not is_alive(pid) or not any(
            home in a for a in cmdline(pid)):
        return None
    return Keycloak(data_dir, port, pid)


def _antwoordt(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as antwoord:
            return bool(antwoord.status == 200)
    except OSError:
        return False


def start(data_dir: Path, port: int | None = None, timeout: float = 240) -> Keycloak:
    """Start Keycloak for ``data_dir`` (or return the one running) with the realms of
    ``deploy/keycloak`` imported; wait until the platform realm's discovery answers."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    with file_lock(data_dir / ".devstack.lock"):
        return status(data_dir) or _start(data_dir, port, timeout)


def _start(data_dir: Path, port: int | None, timeout: float) -> Keycloak:
    dist = ensure_dist()
    if shutil.which("java") is None:
        raise DevstackError("'java' is not on PATH; Keycloak needs a JRE 17+")
    home = data_dir / "home"
    if not (home / "bin" / "kc.sh").is_file():
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(dist, home, copy_function=_kopieer, symlinks=True)
    imports = home / "data" / "import"
    imports.mkdir(parents=True, exist_ok=True)
    for realm in sorted(_deploy(REPO_ROOT).glob("*-realm.json")):
        shutil.copy2(realm, imports / realm.name)
    port = port or free_port()
    write_state(data_dir / "devstack.json", {"port": port})
    log = data_dir / "keycloak.log"
    offset = log_size(log)
    cmd: list[str | os.PathLike[str]] = [
        home / "bin" / "kc.sh", "start-dev", f"--http-port={port}", f"--http-host={HOST}",
        "--import-realm", "--health-enabled=false"]
    pid = spawn(cmd, log_path=log, cwd=data_dir)
    write_pid(data_dir / "keycloak.pid", pid)
    kc = Keycloak(data_dir, port, pid)
    discovery = f"{kc.issuer()}/.well-known/openid-configuration"
    outcome = poll_until(lambda: _antwoordt(discovery), pid=pid, timeout=timeout)
    if outcome != "ready":
        terminate(pid, [(signal.SIGKILL, 10)], group=True)
        remove_file(data_dir / "keycloak.pid")
        why = "exited during startup" if outcome == "exited" else f"not ready after {timeout}s"
        raise DevstackError(f"Keycloak in {data_dir} {why}; last lines of {log}:\n"
                            + log_tail(log, offset))
    _bewaar_build(dist, home)
    return kc


def _bewaar_build(dist: Path, home: Path) -> None:
    """Keep the development build of the first start in the cache: Keycloak builds itself for
    development on its first start (half a minute), and each copy after this one need not."""
    marker = dist.parent / _MARKER
    with file_lock(dist.parent / ".lock"):
        data = json.loads(marker.read_text())
        if data.get("ontwikkelbuild"):
            return
        shutil.copytree(home / "lib" / "quarkus", dist / "lib" / "quarkus", dirs_exist_ok=True)
        marker.write_text(json.dumps({**data, "ontwikkelbuild": True}) + "\n")


def stop(data_dir: Path, timeout: float = 30) -> bool:
    """Stop the Keycloak recorded for ``data_dir``; True if one was running."""
    kc = status(data_dir)
    if kc is None:
        remove_file(data_dir.resolve() / "keycloak.pid")
        return False
    terminate(kc.pid, [(signal.SIGTERM, timeout), (signal.SIGKILL, 10)], group=True)
    remove_file(kc.data_dir / "keycloak.pid")
    return True
