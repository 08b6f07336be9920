"""The Linux desktop integration files agree with each other and with what the .deb installs."""

import configparser
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import build_linux  # noqa: E402

RESOURCES = ROOT / "resources"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # desktop keys are case-sensitive
    parser.read(RESOURCES / "nnviz.desktop")
    return parser["Desktop Entry"]


def test_desktop_entry_launches_the_installed_command_with_a_file():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "nnviz %f"
    assert entry["Icon"] == "nnviz"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "application/x-nnviz" in entry["MimeType"]


def test_metainfo_names_the_desktop_file_the_deb_installs():
    component = ET.parse(RESOURCES / f"{build_linux.APP_ID}.metainfo.xml").getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == build_linux.APP_ID
    assert component.findtext("project_license") == "MIT"
    assert component.find("launchable").text == f"{build_linux.APP_ID}.desktop"
    assert component.find("provides/binary").text == "nnviz"


def test_metainfo_release_matches_package_version():
    component = ET.parse(RESOURCES / f"{build_linux.APP_ID}.metainfo.xml").getroot()
    assert component.find("releases/release").get("version") == build_linux.version()


def test_mime_type_matches_desktop_entry():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(RESOURCES / "nnviz-mime.xml").getroot().find("m:mime-type", ns)
    assert mime.get("type") in desktop_entry()["MimeType"].split(";")
    assert mime.find("m:glob", ns).get("pattern") == "*.nnviz"


def test_lesson_files_have_a_mime_type_the_desktop_entry_opens():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    types = ET.parse(RESOURCES / "nnviz-mime.xml").getroot().findall("m:mime-type", ns)
    globs = {t.get("type"): t.find("m:glob", ns).get("pattern") for t in types}
    assert globs["application/x-nnviz-lesson"] == "*.nnlesson"
    assert set(globs) <= set(desktop_entry()["MimeType"].split(";"))


def test_share_tree_has_menu_entry_metadata_and_every_hicolor_size(tmp_path):
    build_linux.install_desktop_files(tmp_path)
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    expected = {
        "applications/io.github.nnviz.desktop",
        "metainfo/io.github.nnviz.metainfo.xml",
        "mime/packages/nnviz.xml",
        "icons/hicolor/scalable/apps/nnviz.svg",
    } | {f"icons/hicolor/{s}x{s}/apps/nnviz.png" for s in build_linux.ICON_SIZES}
    assert files == expected


def test_control_file_declares_qt_system_libraries():
    control = build_linux.control_file("1.2.3", 4567, (2, 36))
    fields = dict(line.split(": ", 1) for line in control.splitlines() if not line.startswith(" "))
    assert fields["Package"] == "nnviz"
    assert fields["Version"] == "1.2.3"
    assert fields["Architecture"] == "amd64"
    assert fields["Installed-Size"] == "4567"
    depends = {d.strip() for d in fields["Depends"].split(",")}
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1", "libdbus-1-3"} <= depends
    assert "libc6 (>= 2.36)" in depends  # the newest glibc the bundled files need, found at build time
    assert control.endswith("\n")


def validate(*command: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, check=False, timeout=60)


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="apt-get install desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate():
    done = validate("desktop-file-validate", RESOURCES / "nnviz.desktop")
    assert done.returncode == 0
    assert done.stdout == "", done.stdout  # not even hints


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="apt-get install appstream")
def test_metainfo_passes_appstreamcli_validate():
    metainfo = RESOURCES / f"{build_linux.APP_ID}.metainfo.xml"
    done = validate("appstreamcli", "validate", "--no-net", metainfo)
    assert done.returncode == 0, done.stdout
