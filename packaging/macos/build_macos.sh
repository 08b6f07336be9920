#!/usr/bin/env bash
# Build nnviz.app and dist/nnviz-X.Y.Z-macos-<arch>.dmg on macOS; sign and notarise when secrets are set.
#
#   packaging/macos/build_macos.sh [VENV_DIR]
#
# Signing (all optional; without them the app is ad-hoc signed and Gatekeeper will warn):
#   MACOS_CERTIFICATE          base64 of a "Developer ID Application" .p12
#   MACOS_CERTIFICATE_PASSWORD its password
#   MACOS_SIGN_IDENTITY        e.g. "Developer ID Application: Name (TEAMID)"
# Notarisation (needs signing): APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv_dir=${1:-"${TMPDIR:-/tmp}/nnviz-build-venv"}
version=$(python3 -c 'import re,pathlib; print(re.search(r"__version__ = \"(.+?)\"", pathlib.Path("nnviz/__init__.py").read_text()).group(1))')
arch=$(uname -m)

# A clean environment with only the runtime dependencies and PyInstaller (see packaging/build_linux.py).
[ -x "$venv_dir/bin/python" ] || python3 -m venv "$venv_dir"
# Runtime dependencies as pyproject.toml declares them, then a fresh copy of the checkout itself.
"$venv_dir/bin/python" -m pip install -q "pyinstaller>=6.5" ".[onnx]"  # ONNX export is part of the app
"$venv_dir/bin/python" -m pip install -q --no-deps --force-reinstall .
"$venv_dir/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath build/pyinstaller/dist --workpath build/pyinstaller/work packaging/nnviz.spec
app=build/pyinstaller/dist/nnviz.app

if [ -n "${MACOS_CERTIFICATE:-}" ]; then
  keychain="$RUNNER_TEMP/nnviz-signing.keychain-db"
  keychain_password=$(openssl rand -hex 16)
  echo "$MACOS_CERTIFICATE" | base64 --decode > "$RUNNER_TEMP/certificate.p12"
  security create-keychain -p "$keychain_password" "$keychain"
  security set-keychain-settings -lut 21600 "$keychain"
  security unlock-keychain -p "$keychain_password" "$keychain"
  security import "$RUNNER_TEMP/certificate.p12" -P "$MACOS_CERTIFICATE_PASSWORD" -A -t cert -f pkcs12 -k "$keychain"
  security set-key-partition-list -S apple-tool:,apple: -k "$keychain_password" "$keychain" >/dev/null
  security list-keychains -d user -s "$keychain"
  identity=$MACOS_SIGN_IDENTITY
else
  identity=-  # ad-hoc
fi
codesign --force --deep --timestamp --options runtime \
  --entitlements packaging/macos/entitlements.plist --sign "$identity" "$app"
codesign --verify --deep --strict --verbose=2 "$app"

# The disk image: the app and a link to /Applications to drag it onto.
stage=build/dmg
rm -rf "$stage" && mkdir -p "$stage" dist
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/nnviz-$version-macos-$arch.dmg"
rm -f "$dmg"
hdiutil create -volname "nnviz $version" -srcfolder "$stage" -fs HFS+ -format UDZO "$dmg"
if [ "$identity" != "-" ]; then
  codesign --force --timestamp --sign "$identity" "$dmg"
fi

if [ "$identity" != "-" ] && [ -n "${APPLE_ID:-}" ]; then
  xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait
  xcrun stapler staple "$dmg"
fi
echo "$dmg"
