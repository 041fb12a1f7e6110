"""The handbok options from a handbook's mkdocs.yml, for the command line.

mkdocs.yml may hold tags such as `!!python/name:` or `!ENV` that only MkDocs
understands; they are read as nothing here, since only our own options matter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .core import Config
from .files import Root, folders_outside
from .messages import MAX_FILE_KB_INVALID, RENDER_TIMEOUT_INVALID, WARN_DAYS_INVALID, visible
from .model import Finding

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
        return _inside_root(root, Config(), None), {}
    read = Root(root).read(path, 1024 * 1024)  # a link out of the root, a FIFO or a huge file: not read
    if isinstance(read, Finding):
        raise ConfigError(visible(f"{path}: {read.message}"))
    try:
        data = yaml.load(read.decode("utf-8-sig"), Loader=_Lenient)
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
    extensions, extension_configs = _markdown_extensions(data.get("markdown_extensions"))
    config = Config()
    try:
        config = Config(
            routines_dir=str(options.get("routines_dir", config.routines_dir)),
            data_dir=str(options.get("data_dir", config.data_dir)),
            warn_days=int(options.get("warn_days", config.warn_days)),
            max_file_kb=_kilobytes(options.get("max_file_kb", config.max_file_kb), path),
            render_timeout=_seconds(options.get("render_timeout", config.render_timeout), path),
            docs_dir=str(data.get("docs_dir") or config.docs_dir),  # MkDocs' own option
            markdown_extensions=extensions,
            mdx_configs=extension_configs,
        )
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: {WARN_DAYS_INVALID}") from None
    if config.warn_days < 0:
        raise ConfigError(f"{path}: {WARN_DAYS_INVALID}")
    return _inside_root(root, config, path), options


def _inside_root(root: Path, config: Config, path: Path | None) -> Config:
    """The config, if routines_dir and data_dir lie in the handbook; else ConfigError."""
    problem = folders_outside(root, {"routines_dir": config.routines_dir, "data_dir": config.data_dir})
    if problem is not None:
        raise ConfigError(f"{path}: {problem}" if path else problem)
    return config


def _kilobytes(value: Any, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{path}: {MAX_FILE_KB_INVALID}")
    return value


def _markdown_extensions(value: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """mkdocs.yml's markdown_extensions (a list of names or {name: options}, or a mapping)
    as names and options, for the check to render routines as the site does. Options
    that only MkDocs can read (python tags, read as nothing here) are left out."""
    items = list(value.items()) if isinstance(value, dict) else [
        next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None)
        for item in (value if isinstance(value, list) else [])
    ]
    names: list[str] = []
    configs: dict[str, Any] = {}
    for name, options in items:
        if not isinstance(name, str):
            continue
        names.append(name)
        if isinstance(options, dict) and all(v is not None for v in options.values()):
            configs[name] = options
    return tuple(names), configs


def _seconds(value: Any, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{path}: {RENDER_TIMEOUT_INVALID}")
    return float(value)
