"""Freeze nnviz with PyInstaller and wrap it as a Linux tarball and a Debian package.

    python packaging/build_linux.py [--venv /tmp/nnviz-build-venv] [--reuse-bundle] [--formats tar,deb]

Outputs `dist/nnviz-X.Y.Z-linux-x86_64.tar.gz` and `dist/nnviz_X.Y.Z_amd64.deb`. The freeze runs in a
dedicated virtual environment (created on first use, reused afterwards) that holds only nnviz, its runtime
dependencies and PyInstaller, so a developer's torch or scikit-learn can never end up in the bundle.
No AppImage: appimagetool is not in PyPI or Debian and downloads its own runtime (docs/packaging.md).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
DEFAULT_VENV = Path("/tmp/nnviz-build-venv")
APP_ID = "io.github.nnviz"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# The runtime dependencies come from pyproject.toml (pip resolves them from the checkout), so a new one
# cannot be forgotten here; only the freezer is added, and the `onnx` extra (File > Export's ONNX model).
BUILD_TOOLS = ["pyinstaller>=6.5"]
EXTRAS = "[onnx]"
# Shared libraries the bundled Qt loads from the system: the xcb platform plugin and its GL integration,
# fonts, D-Bus and GLib (checked with ldd on the bundled plugins; tests/packaging keeps this honest).
# libc6's version is the newest glibc symbol version any bundled file uses, found at build time
# (`newest_glibc`): 2.34 for the bundled Qt, 2.36 for a libstdc++ taken from a Debian 12 build machine.
DEB_DEPENDS = [
    "libxcb1",
    "libx11-6",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxcb-glx0",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0t64 | libglib2.0-0",
]


def version() -> str:
    """The package version, read from nnviz/__init__.py without importing anything heavy."""
    sys.path.insert(0, str(ROOT))
    import nnviz

    return nnviz.__version__


def run(*args: str | Path, **kwargs: object) -> None:
    """Run a command, echoing it, and stop the build on failure."""
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def prepare_venv(path: Path) -> Path:
    """Create (once) the clean build environment and install the current checkout into it."""
    python = path / "bin" / "python"
    if not python.exists():
        venv.create(path, with_pip=True)
    # Runtime dependencies as pyproject.toml declares them (a reused venv gains any added since).
    run(python, "-m", "pip", "install", "-q", *BUILD_TOOLS, f"{ROOT}{EXTRAS}")
    # A regular (not editable) install, so PyInstaller collects the package and its resources as shipped.
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", ROOT)
    return python


def freeze(python: Path) -> Path:
    """Run PyInstaller on packaging/nnviz.spec; returns the one-folder bundle."""
    work = BUILD / "pyinstaller"
    run(
        python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", work / "dist", "--workpath", work / "work", PACKAGING / "nnviz.spec",
    )  # fmt: skip
    return work / "dist" / "nnviz"


def install_desktop_files(share: Path) -> None:
    """The freedesktop integration: menu entry, AppStream metadata, MIME type and hicolor icons."""
    copies = {
        RESOURCES / "nnviz.desktop": share / "applications" / f"{APP_ID}.desktop",
        RESOURCES / f"{APP_ID}.metainfo.xml": share / "metainfo" / f"{APP_ID}.metainfo.xml",
        RESOURCES / "nnviz-mime.xml": share / "mime" / "packages" / "nnviz.xml",
        RESOURCES / "icons" / "nnviz.svg": share / "icons" / "hicolor" / "scalable" / "apps" / "nnviz.svg",
    }
    for size in ICON_SIZES:
        png = RESOURCES / "icons" / "png" / f"nnviz-{size}.png"
        copies[png] = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "nnviz.png"
    for source, target in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o644)


def build_tarball(bundle: Path, ver: str) -> Path:
    """nnviz-X.Y.Z/: the bundle plus share/ (desktop entry, icons) to copy into ~/.local/share if wanted."""
    name = f"nnviz-{ver}"
    stage = BUILD / "tar" / name
    shutil.rmtree(stage.parent, ignore_errors=True)
    shutil.copytree(bundle, stage, symlinks=True)
    install_desktop_files(stage / "share")
    shutil.copyfile(ROOT / "LICENSE", stage / "LICENSE")
    shutil.copyfile(ROOT / "THIRD_PARTY_LICENSES.md", stage / "THIRD_PARTY_LICENSES.md")
    out = DIST / f"{name}-linux-x86_64.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(stage, arcname=name)
    return out


def newest_glibc(folder: Path) -> tuple[int, int]:
    """The newest glibc symbol version (`GLIBC_2.36`) named in any ELF file under `folder`."""
    newest = (2, 17)
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.open("rb").read(4) == b"\x7fELF":
            for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes()):
                newest = max(newest, (int(major), int(minor)))
    return newest


def control_file(ver: str, installed_kib: int, glibc: tuple[int, int] = (2, 34)) -> str:
    """DEBIAN/control for a binary package of the frozen app, needing at least `glibc`."""
    depends = [f"libc6 (>= {glibc[0]}.{glibc[1]})", *DEB_DEPENDS]
    return (
        "Package: nnviz\n"
        f"Version: {ver}\n"
        "Section: science\n"
        "Priority: optional\n"
        "Architecture: amd64\n"
        "Maintainer: nnviz developers <nnviz@example.invalid>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Homepage: https://example.invalid/nnviz\n"
        "Description: see and touch a neural network\n"
        " nnviz draws a multilayer perceptron as layers of neurons and weighted edges, steps\n"
        " through forward and backward passes neuron by neuron, lets every weight and bias be\n"
        " edited live and trains the network in the background. Self-contained (Python, Qt\n"
        " and NumPy are bundled under /opt/nnviz).\n"
    )


def build_deb(bundle: Path, ver: str, compression: str = "xz") -> Path:
    """Stage /opt/nnviz, /usr/bin/nnviz and /usr/share, then `dpkg-deb --build` with root ownership."""
    stage = BUILD / "deb" / "root"
    shutil.rmtree(stage.parent, ignore_errors=True)
    shutil.copytree(bundle, stage / "opt" / "nnviz", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/nnviz/nnviz", stage / "usr" / "bin" / "nnviz")
    install_desktop_files(stage / "usr" / "share")
    doc = stage / "usr" / "share" / "doc" / "nnviz"
    doc.mkdir(parents=True)
    shutil.copyfile(ROOT / "LICENSE", doc / "copyright")
    shutil.copyfile(ROOT / "THIRD_PARTY_LICENSES.md", doc / "THIRD_PARTY_LICENSES.md")
    installed_kib = sum(f.stat().st_size for f in stage.rglob("*") if f.is_file() and not f.is_symlink())
    debian = stage / "DEBIAN"
    debian.mkdir()
    glibc = newest_glibc(stage / "opt" / "nnviz")
    (debian / "control").write_text(control_file(ver, installed_kib // 1024 + 1, glibc))
    # The same cache refresh runs after install and after removal.
    for script in ("postinst", "postrm"):
        shutil.copyfile(PACKAGING / "deb" / "postinst", debian / script)
        (debian / script).chmod(0o755)
    out = DIST / f"nnviz_{ver}_amd64.deb"
    run("dpkg-deb", "--build", "--root-owner-group", f"-Z{compression}", stage, out)
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the requested Linux artefacts and print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="clean build environment (reused)")
    parser.add_argument("--reuse-bundle", action="store_true", help="skip PyInstaller if a bundle exists")
    parser.add_argument("--formats", default="tar,deb", help="comma-separated: tar, deb")
    parser.add_argument(
        "--deb-compression",
        choices=["xz", "gzip"],
        default="xz",
        help="xz: smallest (releases); gzip: several times faster to build (tests)",
    )
    args = parser.parse_args(argv)
    formats = set(args.formats.split(","))
    if not formats <= {"tar", "deb"}:
        parser.error(f"unknown format in --formats {args.formats!r}; choose from tar, deb")
    ver = version()
    bundle = BUILD / "pyinstaller" / "dist" / "nnviz"
    if not (args.reuse_bundle and (bundle / "nnviz").exists()):
        bundle = freeze(prepare_venv(args.venv))
    DIST.mkdir(exist_ok=True)
    outputs = []
    if "tar" in formats:
        outputs.append(build_tarball(bundle, ver))
    if "deb" in formats:
        outputs.append(build_deb(bundle, ver, args.deb_compression))
    for out in outputs:
        print(f"{out}  {out.stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
