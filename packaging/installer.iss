; Inno Setup script for 申报材料助手: a per-user install (no administrator rights), the
; Start-menu and desktop shortcuts named 申报材料助手, .sbproj files opening in the program with
; its icon. Compiled by `python packaging/build.py --installer` on Windows, which passes the
; version and names from app/about.py (the one place they live) with /D; the defaults below
; only let the script be opened and compiled by hand in the Inno Setup IDE.
;
; Written against the Inno Setup 6 documentation (https://jrsoftware.org/ishelp/):
; - [Setup]: PrivilegesRequired (topic_setup_privilegesrequired): "lowest" never asks for
;   elevation and always runs in non administrative install mode.
; - Constants (topic_consts), "auto" constants: in non administrative install mode {autopf}
;   is {userpf} (%LOCALAPPDATA%\Programs), {autoprograms} and {autodesktop} are the user's own
;   Start menu and desktop.
; - [Registry] (topic_registrysection): HKA is HKCU in non administrative install mode; use
;   HKA with Subkey "Software\Classes" rather than HKCR; nothing is removed at uninstall
;   unless an uninsdelete* flag says so.
; - [Setup]: ChangesAssociations (topic_setup_changesassociations): tells Explorer to refresh
;   its file associations so the .sbproj icon shows without logging off.
; - Unicode (topic_unicode): UTF-8 .iss files are supported (a BOM is no longer required from
;   6.3; this file keeps one for older 6.x compilers).
; - ArchitecturesInstallIn64BitMode=x64compatible needs Inno Setup 6.3 or newer.
;
; Uninstalling removes the program folder and its registry entries only. The user's projects
; (.sbproj files, wherever they saved them, never under {app}) and %APPDATA%\申报材料助手
; (settings, logs) are left alone: there is no UninstallDelete section, on purpose.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppPublisher
  #define AppPublisher "Packet Assembler"
#endif
#ifndef GuiExe
  #define GuiExe "PacketAssembler.exe"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\PacketAssembler"
#endif
#define AppName "申报材料助手"
#define ProgId "PacketAssembler.sbproj"

[Setup]
; AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6F0C2E4B-3C1D-4E8A-9B5F-2A7D1C9E4B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
DefaultDirName={autopf}\PacketAssembler
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#GuiExe}
OutputBaseFilename=PacketAssembler-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
; ChineseSimplified.isl ships with recent Inno Setup releases; with an older compiler that lacks
; it, the wizard falls back to English rather than failing to compile.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Tasks: desktopicon

[Registry]
; .sbproj -> our ProgID, its icon (the program's own, index 0) and the open command that passes
; the file: `PacketAssembler.exe "C:\...\项目.sbproj"` opens it in the window (main.py).
Root: HKA; Subkey: "Software\Classes\.sbproj"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.sbproj\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppName} 项目"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\SupportedTypes"; ValueType: string; ValueName: ".sbproj"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
