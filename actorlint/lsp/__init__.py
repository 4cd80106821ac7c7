"""The language server (``actorlint server``): the project's facts held in memory, findings
published as the editor's text changes, fixes and suppressions as code actions, rule pages
on hover. ``session.py`` and ``positions.py`` are plain Python; only ``server.py`` needs pygls
(the optional extra ``actorlint[server]``)."""
