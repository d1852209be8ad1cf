; Inno Setup script for 申报材料助手: a per-user install by default (no administrator rights),
; or a per-machine one where IT deploys it (the wizard asks; `/ALLUSERS` on the command line),
; the Start-menu and desktop shortcuts named 申报材料助手, .sbproj files opening in the program
; with its icon, and the command-line program on PATH if the clerk asks. Compiled by `python packaging/build.py --installer` on Windows, which passes the
; version and names from app/system/about.py (the one place they live) with /D; the defaults below
; only let the script be opened and compiled by hand in the Inno Setup IDE.
;
; Written against the Inno Setup 6 documentation (https://jrsoftware.org/ishelp/):
; - [Setup]: PrivilegesRequired (topic_setup_privilegesrequired): "lowest" never asks for
;   elevation and runs in non administrative install mode unless overridden:
;   PrivilegesRequiredOverridesAllowed (topic_setup_privilegesrequiredoverridesallowed) "dialog"
;   lets the wizard ask (just me / all users) and "commandline" accepts /ALLUSERS and
;   /CURRENTUSER (silent deployments by IT: `setup.exe /VERYSILENT /ALLUSERS`). In
;   administrative mode {autopf} is Program Files, which AppLocker's default rules allow.
; - MinVersion (topic_setup_minversion): 10.0 refuses Windows 7/8.1, which Qt 6 does not run on.
; - [InstallDelete] (topic_installdeletesection): removes the old _internal folder before an
;   upgrade copies the new one, so no stale library of an older version is loaded.
; - uninsdeletekeyifempty (topic_registrysection): a key we created goes at uninstall when it
;   is left empty; a value we set goes with uninsdeletevalue. No empty key stays behind.
; - [Code] NeedsAddPath / ChangesEnvironment (topic_setup_changesenvironment): the PATH entry
;   is added once, under HKCU or HKLM as the install mode says, and removed at uninstall.
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
; (settings, logs) are left alone: there is no UninstallDelete section, on purpose. So is the
; font cache in %LOCALAPPDATA%\申报材料助手\cache (a few MB, made again when missing).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppPublisher
  #define AppPublisher "Packet Assembler"
#endif
#ifndef GuiExe
  #define GuiExe "PacketAssembler.exe"
#endif
#ifndef CliExe
  #define CliExe "PacketAssembler-cli.exe"
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
PrivilegesRequiredOverridesAllowed=dialog commandline
UsePreviousPrivileges=yes
MinVersion=10.0
ChangesEnvironment=yes
DefaultDirName={autopf}\PacketAssembler
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#GuiExe}
#ifdef Unsigned
; build.py without --sign: the name says so (Smart App Control blocks unsigned setups)
OutputBaseFilename=PacketAssembler-{#AppVersion}-unsigned-setup
#else
OutputBaseFilename=PacketAssembler-{#AppVersion}-setup
#endif
#ifdef SignSetup
; build.py --sign passes /Sours=<signtool sign ... $f>: ISCC signs the setup and the
; uninstaller it embeds (SignTool, SignedUninstaller: topic_setup_signtool).
SignTool=ours
SignedUninstaller=yes
#endif
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
Name: "addtopath"; Description: "把命令行程序（{#CliExe}）加入 PATH，以便在命令提示符中使用"; GroupDescription: "其他："; Flags: unchecked

[InstallDelete]
; An upgrade must not leave libraries of the older version beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Tasks: desktopicon

[Registry]
; .sbproj -> our ProgID, its icon (the program's own, index 0) and the open command that passes
; the file: `PacketAssembler.exe "C:\...\项目.sbproj"` opens it in the window (main.py).
Root: HKA; Subkey: "Software\Classes\.sbproj"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\.sbproj\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppName} 项目"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\SupportedTypes"; ValueType: string; ValueName: ".sbproj"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}"; Flags: uninsdeletekeyifempty

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// PATH: the install mode's own Environment key (HKCU for one user, HKLM for all users).
function EnvironmentRoot: Integer;
begin
  if IsAdminInstallMode then
    Result := HKEY_LOCAL_MACHINE
  else
    Result := HKEY_CURRENT_USER;
end;

function EnvironmentKey: String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function PathHas(Paths, Dir: String): Boolean;
begin
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') > 0;
end;

procedure AddToPath(Dir: String);
var
  Paths: String;
begin
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then
    Paths := '';
  if PathHas(Paths, Dir) then
    exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then
    Paths := Paths + ';';
  RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths + Dir);
end;

procedure RemoveFromPath(Dir: String);
var
  Paths: String;
  P: Integer;
begin
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then
    exit;
  P := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';');
  if P = 0 then
    exit;
  Delete(Paths, P, Length(Dir) + 1);
  if (Length(Paths) > 0) and (Copy(Paths, Length(Paths), 1) = ';') then
    Delete(Paths, Length(Paths), 1);
  RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToPath(ExpandConstant('{app}'));
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
