; NSIS installer for Red Steward (红色管家). Saved as UTF-8 with BOM; needs NSIS 3.
; Build the PyInstaller one-folder app first (dist\red-steward), then, from the repo root:
;     makensis /DVERSION=0.1.0 installer\setup.nsi        (or: python installer\build.py)
; Output: dist\RedSteward-Setup-<VERSION>.exe
; installer/build-linux compiles this script with Debian's makensis against a stand-in bundle
; (-DDISTDIR=… -DOUTFILE=…), so a broken script fails that check.
;
; A per-user install: no administrator is asked for. The program goes to
; %LOCALAPPDATA%\Programs\RedSteward, shortcuts to the user's Start menu and desktop, the
; uninstaller entry to HKCU. The data (%LOCALAPPDATA%\red-steward: the encrypted register, its
; backups and logs) is never touched by the installer nor by the uninstaller.
Unicode true
!include "MUI2.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "Pass the version: makensis /DVERSION=x.y.z installer\setup.nsi"
!endif
!ifndef DISTDIR
  !define DISTDIR "..\dist\red-steward"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\RedSteward-Setup-${VERSION}.exe"
!endif
!define APPNAME "红色管家"
!define EXE "red-steward.exe"
!define ICON "..\resources\icons\red-steward.ico"
!define REGKEY "Software\RedSteward"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RedSteward"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\RedSteward"
InstallDirRegKey HKCU "${REGKEY}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
BrandingText "Red Steward ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Red Steward (${APPNAME})"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Red Steward ${VERSION} setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "GPL-3.0-or-later"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"  ; the first language is the default
!insertmacro MUI_LANGUAGE "English"

LangString UNINSTALL_LINK ${LANG_SIMPCHINESE} "卸载${APPNAME}"
LangString UNINSTALL_LINK ${LANG_ENGLISH} "Uninstall Red Steward"
LangString NEEDS_64BIT ${LANG_SIMPCHINESE} "本程序需要 64 位 Windows。"
LangString NEEDS_64BIT ${LANG_ENGLISH} "This program needs 64-bit Windows."
LangString DATA_KEPT ${LANG_SIMPCHINESE} "您的数据保留在 $LOCALAPPDATA\red-steward，没有删除。"
LangString DATA_KEPT ${LANG_ENGLISH} "Your data stays in $LOCALAPPDATA\red-steward; it was not deleted."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NEEDS_64BIT)"
    Abort
  ${EndIf}
  SetShellVarContext current  ; this user's Start menu and desktop: no administrator needed
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  ; A reinstall replaces the bundled libraries; the user's data lives elsewhere.
  RMDir /r "$INSTDIR\_internal"
  File /r "${DISTDIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\$(UNINSTALL_LINK).lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}"

  WriteRegStr HKCU "${REGKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME} (Red Steward) ${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Red Steward"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  ; Only what the installer put there; never RMDir /r "$INSTDIR" (it may be a shared folder),
  ; and never the data folder.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\red-steward-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "${REGKEY}"
  DetailPrint "$(DATA_KEPT)"
SectionEnd
