"""Builds a handbook the way `mkdocs serve` does, one build per line read from stdin.

    python serve_steps.py CONFIG SITE_DIR URL [--dirty]

`mkdocs serve` loads the configuration afresh for every build, keeps the plugin objects
(they have `on_startup`) and calls `build(config, serve_url=..., dirty=...)` into one
site folder; this does the same without the web server, so that a test can change the
sources between builds and compare the site with a full build's. After each build it
prints "built" (or "failed: ...") and flushes.
"""

from __future__ import annotations

import logging
import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config


def main(config_file: str, site_dir: str, url: str, dirty: bool) -> None:
    def get_config():  # type: ignore[no-untyped-def]
        config = load_config(config_file=config_file, site_dir=site_dir)
        config.site_url = url
        return config

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    for _ in sys.stdin:
        try:
            build(config, serve_url=url, dirty=dirty)
            print("built", flush=True)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            print(f"failed: {exc}", flush=True)
        config = get_config()
    config.plugins.on_shutdown()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], "--dirty" in sys.argv[4:])
