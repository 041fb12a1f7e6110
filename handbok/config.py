"""The handbok options from a handbook's mkdocs.yml, for the command line.

mkdocs.yml may hold tags such as `!!python/name:` or `!ENV` that only MkDocs
understands; they are read as nothing here, since only our own options matter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .core import Config
from .messages import WARN_DAYS_INVALID

__all__ = ["ConfigError", "read_config"]


class ConfigError(Exception):
    """mkdocs.yml exists but cannot be read (exit code 2)."""


class _Lenient(yaml.SafeLoader):
    pass


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_Lenient.add_multi_constructor("", _ignore)


def read_config(root: Path) -> tuple[Config, dict[str, Any]]:
    """(Config, the plugin's raw options) from root/mkdocs.yml; defaults if absent."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return Config(), {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Lenient)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: filen kan inte läsas ({exc}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" rad {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: YAML kan inte läsas ({getattr(exc, 'problem', exc)}).") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: filen ska bestå av nycklar och värden.")
    options: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("handbok"), dict):
            options = plugin["handbok"]
    if isinstance(data.get("plugins"), dict) and isinstance(data["plugins"].get("handbok"), dict):
        options = data["plugins"]["handbok"]
    config = Config()
    try:
        config = Config(
            routines_dir=str(options.get("routines_dir", config.routines_dir)),
            data_dir=str(options.get("data_dir", config.data_dir)),
            warn_days=int(options.get("warn_days", config.warn_days)),
        )
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: {WARN_DAYS_INVALID}") from None
    if config.warn_days < 0:
        raise ConfigError(f"{path}: {WARN_DAYS_INVALID}")
    return config, options
