; Inno Setup script of OneWindow 一窗通 for a town service centre's Windows PCs.
;
; Built by .github/workflows/windows.yml after the one-folder build (dist\OneWindow):
;   iscc /DAppVersion=0.1.0 /DAppCommit=abc1234 build_scripts\onewindow.iss
; makes dist\OneWindow-<version>-setup.exe. The county's IT staff run it as an administrator:
; it installs for every user of the PC under Program Files, adds the Start-menu entries, and
; upgrades an earlier version in place (the same AppId; a running OneWindow is asked to close).
;
; What it never touches: each user's data directory (%APPDATA%\OneWindow: the encrypted store,
; settings, logs) stays through upgrades and through an uninstall; and the store's key, which the
; program itself keeps in the Windows Credential Locker (the OS keyring) and nowhere else — the
; installer writes no key, no key file and no credential.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppCommit
  #define AppCommit "unknown"
#endif

[Setup]
AppId={{6F1C2B7E-4A0D-4C4B-9E55-0D1E3B7A9C21}
AppName=一窗通 OneWindow
AppVersion={#AppVersion}
AppVerName=一窗通 OneWindow {#AppVersion}（{#AppCommit}）
AppPublisher=OneWindow
DefaultDirName={autopf}\OneWindow
DefaultGroupName=一窗通
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=OneWindow-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\OneWindow.exe
UninstallDisplayName=一窗通 OneWindow
VersionInfoVersion={#AppVersion}

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; An upgrade replaces the program folder whole: no file of an older version lingers beside the
; new one (the data directory is elsewhere, per user, and is kept).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\OneWindow\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\一窗通"; Filename: "{app}\OneWindow.exe"; WorkingDir: "{app}"
Name: "{group}\一窗通 诊断信息包"; Filename: "{app}\onewindow-cli.exe"; Parameters: "diagnostics"; WorkingDir: "{app}"
Name: "{group}\卸载一窗通"; Filename: "{uninstallexe}"
Name: "{autodesktop}\一窗通"; Filename: "{app}\OneWindow.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; Flags: unchecked

[Run]
Filename: "{app}\OneWindow.exe"; Description: "启动一窗通"; Flags: nowait postinstall skipifsilent
