"""The language server itself (pygls): diagnostics on open, change and save; code actions
(apply a fix, fix all of a rule, suppress with ``# noqa: CODE``); the rule's page on hover."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from actorlint import __version__
from actorlint.add_noqa import with_noqa
from actorlint.diagnostics import Diagnostic, Severity
from actorlint.fixing import apply_fixes, detect_newline
from actorlint.lsp.positions import LineIndex
from actorlint.lsp.session import ProjectSession, inside
from actorlint.run_plan import governing_config

__all__ = ["build_server"]

_SOURCE = "actorlint"


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


class ActorlintServer(LanguageServer):
    """Holds one project session per workspace folder, made on first use."""

    def __init__(self) -> None:
        super().__init__("actorlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.sessions: Dict[str, ProjectSession] = {}
        self.findings: Dict[str, List[Diagnostic]] = {}

    def session_for(self, path: Path) -> ProjectSession:
        """The project the document at ``path`` belongs to: that of its nearest config."""
        folders = [_path(folder.uri) for folder in (self.workspace.folders or {}).values()]
        workspace = next((f for f in folders if inside(path, f)), path.parent)
        # The nearest config, else the workspace folder's (the command line falls back on
        # the current folder's).
        config = governing_config(path.parent, workspace)
        key = str(config if config is not None else os.path.abspath(workspace))
        session = self.sessions.get(key)
        if session is None:
            session = self.sessions[key] = ProjectSession(config, workspace)
        return session

    def publish(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        path = _path(uri)
        session = self.session_for(path)
        found = session.check(path, document.source)
        self.findings[uri] = found
        index = LineIndex(document.source)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[_lsp_diagnostic(d, index) for d in found]))


def _range(index: LineIndex, diagnostic: Diagnostic) -> types.Range:
    span = diagnostic.span
    start = index.lsp_position(span.line, span.column)
    end = index.lsp_position(span.end_line, span.end_column)
    return types.Range(types.Position(*start), types.Position(*end))


def _lsp_diagnostic(diagnostic: Diagnostic, index: LineIndex) -> types.Diagnostic:
    severity = types.DiagnosticSeverity.Error if diagnostic.severity is Severity.ERROR \
        else types.DiagnosticSeverity.Warning
    return types.Diagnostic(range=_range(index, diagnostic), message=diagnostic.message, severity=severity,
                            code=diagnostic.code, source=_SOURCE)


def _edits(index: LineIndex, diagnostics: List[Diagnostic]) -> List[types.TextEdit]:
    edits = []
    for diagnostic in diagnostics:
        assert diagnostic.fix is not None
        for edit in diagnostic.fix.edits:
            start, end = index.lsp_position_of_offset(edit.start), index.lsp_position_of_offset(edit.end)
            edits.append(types.TextEdit(types.Range(types.Position(*start), types.Position(*end)), edit.content))
    return edits


def _overlaps(diagnostic: Diagnostic, index: LineIndex, wanted: types.Range) -> bool:
    found = _range(index, diagnostic)
    return (found.start.line, found.start.character) <= (wanted.end.line, wanted.end.character) and \
        (wanted.start.line, wanted.start.character) <= (found.end.line, found.end.character)


def build_server() -> ActorlintServer:
    """The server, its features registered."""
    server = ActorlintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ActorlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ActorlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ActorlintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)
        ls.session_for(_path(params.text_document.uri)).saved(_path(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ActorlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session_for(_path(params.text_document.uri)).close(_path(params.text_document.uri))
        ls.findings.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_actions(ls: ActorlintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.workspace.get_text_document(uri)
        index = LineIndex(document.source)
        found = ls.findings.get(uri, [])
        actions: List[types.CodeAction] = []
        for diagnostic in (d for d in found if _overlaps(d, index, params.range)):
            lsp = [_lsp_diagnostic(diagnostic, index)]
            if diagnostic.fix is not None and diagnostic.fix.edits:
                safety = "" if diagnostic.fix.applicability.value == "safe" else " (unsafe)"
                actions.append(types.CodeAction(
                    title=f"{diagnostic.code}: {diagnostic.fix.title}{safety}", kind=types.CodeActionKind.QuickFix,
                    diagnostics=lsp, edit=types.WorkspaceEdit(changes={uri: _edits(index, [diagnostic])})))
                same = [d.fix for d in found if d.code == diagnostic.code and d.fix is not None and d.fix.edits]
                if len(same) > 1:
                    # Applied together as --fix applies them (shared edits once, conflicts skipped).
                    fixed, applied = apply_fixes(document.source, same, detect_newline(document.source))
                    actions.append(types.CodeAction(
                        title=f"{diagnostic.code}: fix all {len(applied)} in this file{safety}",
                        kind=types.CodeActionKind.QuickFix, diagnostics=lsp,
                        edit=_replacing(uri, index, fixed)))
            if diagnostic.code != "ACT000":
                suppressed = with_noqa(document.source, [diagnostic])
                if suppressed is not None and suppressed[1]:
                    actions.append(types.CodeAction(
                        title=f"{diagnostic.code}: suppress with `# noqa: {diagnostic.code}`",
                        kind=types.CodeActionKind.QuickFix, diagnostics=lsp,
                        edit=_replacing(uri, index, suppressed[0])))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ActorlintServer, params: types.HoverParams) -> Optional[types.Hover]:
        uri = params.text_document.uri
        index = LineIndex(ls.workspace.get_text_document(uri).source)
        at = types.Range(params.position, params.position)
        for diagnostic in ls.findings.get(uri, []):
            if _overlaps(diagnostic, index, at):
                page = ls.session_for(_path(uri)).rule_documentation(diagnostic.code)
                if page is not None:
                    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=page),
                                       range=_range(index, diagnostic))
        return None

    return server


def _replacing(uri: str, index: LineIndex, text: str) -> types.WorkspaceEdit:
    """An edit replacing the whole document with ``text``."""
    end = types.Position(*index.lsp_position_of_offset(len(index.text)))
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(types.Range(types.Position(0, 0), end), text)]})
