"""The language server end to end: ``actorlint server`` started as an editor starts it, and
driven by a real LSP client (pytest-lsp) over standard input and output."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from tests.cli_helpers import PROJECT_ROOT, WORKER, WORKER_ACT101  # noqa: E402

# A project: an actor module whose handler sleeps, and a client asking it without a timeout;
# the client's finding depends on the other module (which class is an actor).
ACTORS = '''\
import time

import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(2)
        return message
'''
CLIENT = '''\
from shop.actors import Worker


def use():
    ref = Worker.start()
    return ref.ask("x")
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editor-project")
    (root / "pyproject.toml").write_text('[tool.actorlint]\nselect = ["ACT101", "ACT201"]\n', encoding="utf-8")
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (root / "shop" / "actors.py").write_text(ACTORS, encoding="utf-8")
    (root / "shop" / "client.py").write_text(CLIENT, encoding="utf-8")
    # A folder with its own config: its files follow it, as on the command line.
    (root / "service").mkdir()
    (root / "service" / "actorlint.toml").write_text('select = ["ACT101"]\n', encoding="utf-8")
    (root / "service" / "worker.py").write_text(WORKER, encoding="utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "actorlint", "server"],
    server_env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
))
async def client(lsp_client: LanguageClient, project: Path):
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="project")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str, version: int = 1) -> list:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="python", version=version, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[path.as_uri()]


@pytest.mark.asyncio
async def test_findings_come_from_the_whole_project(client: LanguageClient, project: Path) -> None:
    found = await _open(client, project / "shop" / "client.py", CLIENT)
    # As a tree run reports: ACT201 on line 6, column 12 (0-based: line 5, character 11).
    assert [(d.code, d.range.start.line, d.range.start.character, d.source) for d in found] == [
        ("ACT201", 5, 11, "actorlint")]


@pytest.mark.asyncio
async def test_a_file_follows_its_nearest_config(client: LanguageClient, project: Path) -> None:
    found = await _open(client, project / "service" / "worker.py", WORKER)
    # Its folder's config selects ACT101 alone; the workspace's would add the ACT201.
    assert [(d.code, d.range.start.line) for d in found] == [("ACT101", WORKER_ACT101 - 1)]


@pytest.mark.asyncio
async def test_a_change_is_checked_before_it_is_saved(client: LanguageClient, project: Path) -> None:
    path = project / "shop" / "client.py"
    await _open(client, path, CLIENT)
    timed = CLIENT.replace('ref.ask("x")', 'ref.ask("x", timeout=5)')
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=timed)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[path.as_uri()]) == []


@pytest.mark.asyncio
async def test_positions_count_utf16_code_units(client: LanguageClient, project: Path) -> None:
    # "🎬" is one code point but two UTF-16 units: the finding starts two units further right.
    text = CLIENT.replace("    return ref.ask", '    label = "🎬"; return ref.ask')
    found = await _open(client, project / "shop" / "client.py", text, version=3)
    column = text.splitlines()[5].index("ref.ask")  # in code points
    assert [(d.range.start.line, d.range.start.character) for d in found] == [(5, column + 1)]


@pytest.mark.asyncio
async def test_code_actions_fix_and_suppress(client: LanguageClient, project: Path) -> None:
    path = project / "shop" / "client.py"
    found = await _open(client, path, CLIENT)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=found[0].range,
        context=types.CodeActionContext(diagnostics=found)))
    titles = [action.title for action in actions]
    assert titles == ["ACT201: Add `timeout=5.0` (unsafe)", "ACT201: suppress with `# noqa: ACT201`"]
    fix = actions[0].edit.changes[path.as_uri()]
    assert [(e.range.start.line, e.range.start.character, e.new_text) for e in fix] == [(5, 22, ", timeout=5.0")]
    noqa = actions[1].edit.changes[path.as_uri()][0].new_text
    assert noqa == CLIENT.replace('ref.ask("x")', 'ref.ask("x")  # noqa: ACT201')


@pytest.mark.asyncio
async def test_hover_shows_the_rule_page(client: LanguageClient, project: Path) -> None:
    path = project / "shop" / "actors.py"
    found = await _open(client, path, ACTORS)
    assert [d.code for d in found] == ["ACT101"]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=found[0].range.start))
    assert hover is not None and hover.contents.value.startswith("**ACT101 blocking-call-in-handler**")
    assert "## What it does" in hover.contents.value


@pytest.mark.asyncio
async def test_latency_on_a_two_thousand_line_file(client: LanguageClient, project: Path) -> None:
    """Not a timed assertion (the bench measures speed): the figure is printed for the notes."""
    path = project / "shop" / "big.py"
    body = CLIENT + "".join(f"\n\ndef helper_{n}(value):\n    return value + {n}\n" for n in range(500))
    assert len(body.splitlines()) >= 2000
    await _open(client, path, body)
    started = time.perf_counter()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=body + "\n# edited\n")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    print(f"\nchange to diagnostics, {len(body.splitlines())} lines: {time.perf_counter() - started:.3f} s")
    assert [d.code for d in client.diagnostics[path.as_uri()]] == ["ACT201"]
