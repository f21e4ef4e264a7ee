"""Production static files: every ES module imports its neighbours by their hashed names, so a
page never loads (and runs) one module twice under two names."""

from __future__ import annotations

import re

from django.contrib.staticfiles.finders import get_finders

from config.storage import StaticFilesStorage


def test_collected_modules_import_each_other_by_hashed_name(tmp_path):
    storage = StaticFilesStorage(location=tmp_path)
    found = {}
    for finder in get_finders():
        for path, source in finder.list(["admin/*", "*.css", "*.txt", "*.png", "*.svg"]):
            if path.startswith("js/") and path not in found:
                found[path] = source
    for path, source in found.items():
        with source.open(path) as handle:
            storage.save(path, handle)
    list(storage.post_process({path: (storage, path) for path in found}))

    live = (tmp_path / storage.stored_name("js/live.js")).read_text(encoding="utf-8")
    imports = re.findall(r'from "(\./[^"]+)"', live)
    assert imports, "live.js imports the shared socket client"
    for name in imports:
        assert re.fullmatch(r"\./[a-z]+\.[0-9a-f]{12}\.js", name), name
