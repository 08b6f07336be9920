; Inno Setup script for the Windows installer of nnviz (Inno Setup 6).
; Build after PyInstaller has produced build\pyinstaller\dist\nnviz (see docs/packaging.md):
;   iscc /DAppVersion=0.1.0 packaging\windows\nnviz.iss
; Output: dist\nnviz-<version>-windows-x64-setup.exe. Installs per machine (or per user when not admin),
; adds a Start-menu entry, an optional desktop icon and the .nnviz and .nnlesson file associations;
; uninstalls cleanly.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\nnviz.iss
#endif
#define Root "..\.."

[Setup]
AppId={{6C7E8B52-4A4B-4F0E-9C8D-2D1F5B7A9E31}
AppName=nnviz
AppVersion={#AppVersion}
AppVerName=nnviz {#AppVersion}
AppPublisher=nnviz developers
AppPublisherURL=https://example.invalid/nnviz
DefaultDirName={autopf}\nnviz
DefaultGroupName=nnviz
DisableProgramGroupPage=yes
LicenseFile={#Root}\LICENSE
OutputDir={#Root}\dist
OutputBaseFilename=nnviz-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\nnviz.ico
UninstallDisplayIcon={app}\nnviz.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ChangesAssociations=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\build\pyinstaller\dist\nnviz\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Root}\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion
Source: "{#Root}\THIRD_PARTY_LICENSES.md"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\nnviz"; Filename: "{app}\nnviz.exe"
Name: "{autodesktop}\nnviz"; Filename: "{app}\nnviz.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Software\Classes\.nnviz\OpenWithProgids"; ValueType: string; ValueName: "nnviz.project"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\nnviz.project"; ValueType: string; ValueName: ""; ValueData: "nnviz project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\nnviz.project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\nnviz.exe,0"
Root: HKA; Subkey: "Software\Classes\nnviz.project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\nnviz.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.nnlesson\OpenWithProgids"; ValueType: string; ValueName: "nnviz.lesson"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\nnviz.lesson"; ValueType: string; ValueName: ""; ValueData: "nnviz lesson"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\nnviz.lesson\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\nnviz.exe,0"
Root: HKA; Subkey: "Software\Classes\nnviz.lesson\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\nnviz.exe"" ""%1"""

[Run]
Filename: "{app}\nnviz.exe"; Description: "{cm:LaunchProgram,nnviz}"; Flags: nowait postinstall skipifsilent
