"""The MkDocs adapter: hands the handbook's files to the core, puts pages back.

All logic lives in the core (`handbok.core`, `handbok.pages`); the hooks here
only translate between MkDocs' objects and the core's.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url, nest_paths

from . import messages as msg
from .calendars import CALENDAR_NAME, OWNER_CALENDAR_NAME, review_calendar
from .core import Config, Result, check_handbook, failing, resolve_today
from .files import Root, folders_outside, unsafe_source
from .gitlog import last_commits
from .incremental import file_signatures
from .legal import Register, load_register
from .links import document_url
from .messages import WARN_DAYS_INVALID, visible
from .mkdocs_attachments import add_attachments
from .mkdocs_background import Background
from .mkdocs_incremental import Incremental, LazyFile
from .model import Document, Finding
from .pages import accessibility, addresses, laws, overview
from .pages import document as doc_page
from .pages import text as t
from .pages.exports import handbook_json, register_csv
from .plugin_config import HandbokConfig
from .render import guarded
from .report import Report, build_report, report_body
from .safety import sanitise
from .unlink import UnlinkExtension, unlink_html, unlink_nav
from .validate import ID_RE
from .visibility import (
    PUBLIC,
    Unpublished,
    internal_page,
    is_published,
    page_key,
    publish,
    resolve_visibility,
)

__all__ = ["HandbokPlugin"]

log = logging.getLogger("mkdocs.plugins.handbok")

ASSETS = Path(__file__).parent / "assets"
SLOT = '<div class="handbok-slot"></div>'
_DOCLIST_RE = re.compile(r'<ul class="handbok-doclist">.*?</ul>'  # lists never nest
                         r'|<(figure|div) class="handbok-pmap[\w-]*"[^>]*>.*?</\1>', re.DOTALL)  # the drawn map
_HELD_RE = re.compile(r"<!--handbok-list-(\d+)-->")
# The document tables that macros put on docs/ pages (e.g. the start page): shown, not indexed.
_MACRO_TABLE_RE = re.compile(r'<div class="handbok-scroll"><table\b.*?</table></div>', re.DOTALL)
PANEL_MARK = "<!--handbok-panel-->"  # a routine body cannot produce it: its `<` is escaped
STEMMING_PIPELINE = ["stemmer", "stopWordFilter", "trimmer"]
_WORKER_RE = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
SEARCH_WORKER = "assets/javascripts/workers/handbok-search.js"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


class HandbokPlugin(BasePlugin[HandbokConfig]):
    """Routines become pages; overview pages and exports are generated."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: Result | None = None
        self.root = Path(".")
        self.fail_on = "never"
        self.serving = False
        self.doc_files: dict[str, Document] = {}  # src_uri -> document
        self.doc_urls: dict[str, str] = {}  # document path -> page url
        self.slots: dict[str, Any] = {}  # src_uri -> function(page) -> html
        self.held: dict[str, list[str]] = {}  # src_uri -> document lists kept out of search
        self.material_worker: str | None = None
        self.law_register: Register | None = None  # for links from legal_refs to the laws page
        self.laws_url = ""
        self.public = False  # the public site (handbok.visibility)
        self.checked: Result | None = None  # the whole handbook's check; `result` is what is published
        self.left_out: frozenset[str] = frozenset()  # paths of the documents not published
        self.unlink: UnlinkExtension | None = None
        self.statement: accessibility.Statement | None = None
        self.report: Report | None = None  # built once per build, for the page and the xlsx
        self.incremental = Incremental(dirty=False)  # kept from build to build while serving

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether we serve (then the gate logs instead of failing) and whether
        builds are dirty (then only what a change affects is rebuilt, see `on_nav`)."""
        self.serving = command == "serve"
        self.incremental = Incremental(dirty)

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Priority 100, before search and macros: Swedish, offline and safe defaults."""
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.doc_files, self.doc_urls, self.slots, self.held = {}, {}, {}, {}  # a new build
        self.incremental.new_build(config)
        theme = config.theme
        theme["font"] = False  # no web fonts: an intranet may have no internet
        if not theme.get("language") or theme.get("language") == "en":
            theme["language"] = "sv"
        for name, plugin in config.plugins.items():
            if name.endswith("search") and hasattr(plugin, "config"):
                # lang: sv alone does not stem; the pipeline must include the stemmer.
                if not plugin.config.get("lang"):
                    plugin.config["lang"] = ["sv"]
                if plugin.config.get("pipeline") is None:
                    plugin.config["pipeline"] = list(STEMMING_PIPELINE)
            if name == "macros" and hasattr(plugin, "config"):
                # Only pages in docs/ that opt in are rendered as templates.
                plugin.config["render_by_default"] = False
        if "pymdownx.emoji" in config.markdown_extensions:
            # Icons as inline SVG and emoji as Unicode characters, never images from a CDN.
            from material.extensions import emoji

            options = config.mdx_configs.setdefault("pymdownx.emoji", {})
            options["emoji_index"] = emoji.twemoji
            options["emoji_generator"] = _offline_emoji
        config.extra_css.append("assets/handbok/handbok.css")
        config.extra_javascript.append("assets/handbok/handbok.js")
        config.extra_javascript.append("assets/handbok/handbok-print.js")  # print and feedback
        # A Swedish 404 page with a way on (templates/404.html); the theme's own templates stay.
        theme.dirs.insert(1 if theme.custom_dir else 0, str(Path(__file__).parent / "templates"))  # custom_dir wins
        register = f"{self.config.overview_dir}/dokumentforteckning" + ("/" if config.use_directory_urls else ".html")
        config.extra["handbok_404"] = {**t.NOT_FOUND, "register_url": register}
        for folder in (self.config.routines_dir, self.config.data_dir):
            path = str(self.root / folder)
            if os.path.isdir(path) and path not in config.watch:
                config.watch.append(path)
        if self.config.warn_days < 0:
            raise PluginError(f"handbok: {WARN_DAYS_INVALID}")
        outside = folders_outside(self.root, {"routines_dir": self.config.routines_dir,
                                              "data_dir": self.config.data_dir})
        if outside is not None:
            raise PluginError(f"handbok: {outside}")
        try:
            self.public = resolve_visibility(self.config.visibility, os.environ) == PUBLIC
            self.statement = (accessibility.statement_from(self.config.accessibility)
                              if self.config.accessibility else None)
        except ValueError as exc:
            raise PluginError(f"handbok: {exc}") from None
        setting = self.config.fail_on
        self.fail_on = ("overdue" if _truthy(os.environ.get("CI")) else "never") if setting == "ci" else setting
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Run the core; add document pages, overview pages, assets and exports."""
        try:
            today = resolve_today(None)
        except ValueError as exc:
            raise PluginError(f"handbok: {exc}") from None
        self._drop_unsafe_sources(files, config)
        routines = self.root / self.config.routines_dir
        if not routines.is_dir():
            raise PluginError(f"handbok: mappen {routines} finns inte (routines_dir i mkdocs.yml).")
        core_config = Config(
            routines_dir=self.config.routines_dir,
            data_dir=self.config.data_dir,
            warn_days=self.config.warn_days,
            max_file_kb=self.config.max_file_kb,
            markdown_extensions=tuple(config.markdown_extensions),
            mdx_configs=dict(config.mdx_configs or {}),
            render_timeout=float(self.config.render_timeout),
            docs_dir=Path(os.path.relpath(config.docs_dir, self.root)).as_posix(),  # scanned for personnummer
        )
        # .cache/handbok/; what must be parsed, on two cores in a build (`mkdocs serve` runs
        # threads, which a fork must not copy: `handbok.forked`)
        result = self.checked = check_handbook(self.root, today, core_config, cache=True, split=not self.serving)
        if self.public:  # every page and export below is built from what may be published
            result = publish(result)
            self._unpublish(config, self.checked, files)
        self.result = result
        self.incremental.set_exports(self.root, result, self._site_sources(config), config.site_url)
        taken = {f.dest_uri: f for f in files}
        docs_dir = Path(config.docs_dir).resolve()
        for doc in result.documents:
            src_uri = doc.path
            file = LazyFile.of(config, src_uri, lambda doc=doc: doc_page.page_source(doc), InclusionLevel.NOT_IN_NAV)
            clash = taken.get(file.dest_uri) or files.get_file_from_path(src_uri)
            if clash is not None and clash.generated_by and clash.src_uri in self.doc_files:
                # Two documents, one address: the core's path-collision finding names both;
                # the first is published and the rest of the site builds.
                log.warning(visible(msg.collision_skipped(doc.path, clash.src_uri, file.url)))
                continue
            if clash is not None:
                other = clash.src_uri if clash.generated_by else f"{Path(config.docs_dir).name}/{clash.src_uri}"
                raise PluginError(visible(
                    f"handbok: {doc.path} och {other} ger samma sida ({file.url}). Byt namn på en av dem."
                ))
            file.edit_uri = Path(os.path.relpath(self.root / doc.path, docs_dir)).as_posix()
            files.append(file)
            taken[file.dest_uri] = file
            self.doc_files[src_uri] = doc
            self.doc_urls[doc.path] = file.url
        add_attachments(files, config, self.root, result.attachments, taken)  # what the documents link to
        self._add_overviews(files, config, result, taken)
        self._add_stable_addresses(files, config, result, taken)
        if self.statement is not None:
            statement = self.statement
            self._add_slot(files, config, taken, accessibility.URI, accessibility.TITLE,
                           lambda page: accessibility.accessibility_page(statement, config.site_name), False)
        self.law_register = load_register(self.root, self.config.data_dir, self.config.max_file_kb)[0]
        self.laws_url = self._url(self.overview_uris["laws"], files)
        for asset in sorted(ASSETS.iterdir()):
            if asset.suffix in (".css", ".js") and asset.name != "handbok-search.js":
                files.append(File.generated(config, f"assets/handbok/{asset.name}", abs_src_path=str(asset)))
        self._add_search_worker(files, config)
        files.append(File.generated(config, "handbok.json", content=self.incremental.export("json", lambda: handbook_json(result))))
        files.append(File.generated(config, "dokumentforteckning.csv",
                                    content=self.incremental.export("csv", lambda: register_csv(result))))
        self._add_workbook_and_calendars(files, config, result)
        if config.nav is None:
            config.nav = self._nav(files)
        elif not any(self._mentions_overview(item) for item in config.nav):
            config.nav.append({t.NAV_SECTION: self._overview_nav()})
        if self.statement is not None and not _nav_mentions(config.nav, accessibility.URI):
            config.nav.append({accessibility.TITLE: accessibility.URI})
        return files

    def _unpublish(self, config: MkDocsConfig, checked: Result, files: Files) -> None:
        """Public site: links to the documents left out become text (handbok.unlink), and
        so do entries for them in a nav written in mkdocs.yml. Pages of docs/ whose front
        matter says `visibility: internal` (the editor's guide) are left out too."""
        hidden = Unpublished.of(checked.documents)
        root = Root(self.root)
        internal: list[str] = []
        pages_left_out: list[str] = []
        for file in list(files.documentation_pages()):
            if file.generated_by is None and file.abs_src_path:
                data = root.read(Path(file.abs_src_path), self.config.max_file_kb * 1024)
                if isinstance(data, bytes) and internal_page(data):
                    internal.append(page_key(file.src_uri))
                    pages_left_out.append(root.rel(Path(file.abs_src_path)))  # its findings stop no public build
                    files.remove(file)
                    log.info(visible(f"handbok: {file.src_uri} är intern och publiceras inte på den publika webbplatsen."))
        if internal:
            hidden = Unpublished(hidden.keys | frozenset(internal))
        self.left_out = frozenset([*(d.path for d in checked.documents if not is_published(d)), *pages_left_out])
        self.unlink = UnlinkExtension(hidden)
        config.markdown_extensions = [*(x for x in config.markdown_extensions
                                        if not isinstance(x, UnlinkExtension)), self.unlink]
        if config.nav is not None:
            config.nav = unlink_nav(config.nav, hidden)

    def _report(self, result: Result) -> Report:
        """The internal-control report (with its git trend), built once per build (and
        while serving, again only when what it shows changed: see `_export`)."""
        if self.report is None or self.report.result is not result:
            self.report = self.incremental.export("report", lambda: build_report(result))
        return self.report

    def _add_stable_addresses(self, files: Files, config: MkDocsConfig, result: Result,
                              taken: dict[str, File]) -> None:
        """Redirect pages: `id/ID/` for every published document, and the old address of a
        file renamed in git (handbok.pages.addresses). A real page always wins."""
        published = {d.path: d for d in result.documents if d.path in self.doc_urls}
        pages: dict[str, Document] = {}
        for doc in published.values():
            dest = addresses.id_page_path(doc)
            if dest:
                pages.setdefault(dest, doc)
        for old, new in addresses.renamed_paths(self.root, self.config.routines_dir).items():
            if new in published and old not in published and old.endswith(".md"):
                pages.setdefault(File.generated(config, old, content="").dest_uri, published[new])
        for dest, doc in pages.items():
            if dest in taken:
                continue
            target = get_relative_url(self.doc_urls[doc.path], dest)
            file = self.incremental.export(  # a static file: kept while what it says is the same
                f"redirect:{dest}:{config.site_dir}",
                lambda doc=doc, dest=dest, target=target: File.generated(
                    config, dest, content=addresses.redirect_page(doc, target)))
            files.append(file)
            taken[dest] = file

    def _add_workbook_and_calendars(self, files: Files, config: MkDocsConfig, result: Result) -> None:
        """dokumentforteckning.xlsx, revisionsplan.ics and one calendar per owner role."""
        from .report.xlsx import report_xlsx

        # A build makes them in a second process while the pages are rendered
        # (handbok.mkdocs_background); serving, again only when what they show changed.
        background = Background() if not self.serving and Background.possible() else None

        def add(uri: str, key: str, make: Any) -> None:
            if background is not None:
                files.append(LazyFile.of(config, uri, background.add(make)))
            else:
                files.append(File.generated(config, uri, content=self.incremental.export(key, make)))

        report = self._report(result)  # here: the page of the report uses it too
        add("dokumentforteckning.xlsx", "xlsx", lambda: report_xlsx(report))
        site = config.site_url or None

        def url(doc: Document) -> str | None:  # absolute when site_url is set: calendars live outside the site
            return document_url(site, doc) if site else self.doc_urls.get(doc.path)

        days = self.config.calendar_alarm_days
        events: dict[str, bytes] = {}  # each document's event made once, for both its calendars
        add("revisionsplan.ics", "ics",
            lambda: review_calendar(result, result.documents, CALENDAR_NAME, url, days, events))
        for owner in sorted({d.owner for d in result.documents if d.owner}):
            docs = [d for d in result.documents if d.owner == owner]
            name = OWNER_CALENDAR_NAME.format(role=result.org.role_title(owner))
            add(f"{self.config.overview_dir}/ansvariga/{owner}.ics", f"ics:{owner}",
                lambda docs=docs, name=name: review_calendar(result, docs, name, url, days, events))
        if background is not None:
            background.start()

    def _drop_unsafe_sources(self, files: Files, config: MkDocsConfig) -> None:
        """Files of docs/ that resolve outside the handbook (a link to /etc/passwd), that are
        not regular files (a FIFO would block the build) or whose name is not UTF-8 are not
        published; each one is logged."""
        docs_dir = os.path.abspath(config.docs_dir)
        root = Root(self.root)
        for file in list(files):
            if file.abs_src_path is None or os.path.abspath(file.src_dir or "") != docs_dir:
                continue  # generated, or the theme's own
            name = f"{Path(config.docs_dir).name}/{file.src_uri}"
            problem = unsafe_source(root, file.abs_src_path, name)
            if problem is not None:
                log.warning(visible(problem))
                files.remove(file)

    def _add_search_worker(self, files: Files, config: MkDocsConfig) -> None:
        """Wrap Material's search worker so that inflected Swedish queries find their stem."""
        worker = next((f for f in files if _WORKER_RE.fullmatch(f.src_uri)), None)
        self.material_worker = worker.src_uri if worker else None
        if worker is None:
            return
        source = (ASSETS / "handbok-search.js").read_text(encoding="utf-8")
        name = worker.src_uri.rsplit("/", 1)[1]
        files.append(File.generated(config, SEARCH_WORKER, content=source.replace("__MATERIAL_WORKER__", name)))

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Point Material's search at the stemming worker (see assets/handbok-search.js)
        and keep the repository link from calling the code host's API."""
        if self.material_worker:
            output = output.replace(self.material_worker, SEARCH_WORKER, 1)
        # The repository link stays, but Material must not ask the code host's API for facts.
        return output.replace('class="md-source" data-md-component="source"', 'class="md-source"')

    def _add_overviews(self, files: Files, config: MkDocsConfig, result: Result, taken: dict[str, File]) -> None:
        base = self.config.overview_dir
        # The public site's "Senast ändrade" is the documents' own history: a commit message
        # or its author may name anything.
        commits = {} if self.public else last_commits(self.root, self.config.routines_dir)
        pages = {
            "register": (overview.register, True),
            "plan": (overview.review_plan, True),
            "processes": (overview.process_map, False),
            "requirements": (overview.requirements_page, False),
            "recent": (lambda r, link: overview.recent_changes(r, commits, link), True),
            "laws": (laws.laws_page, False),  # searchable: "12 kap. 4 §" finds who cites it
            "internal": (lambda r, link: report_body(self._report(r), link), True),
        }
        self.overview_uris = {key: f"{base}/{name}.md" for key, name in (
            ("register", "dokumentforteckning"), ("plan", "revisionsplan"), ("processes", "processkarta"),
            ("requirements", "sosfs-2011-9"), ("recent", "senast-andrade"), ("owners", "ansvariga/index"),
            ("laws", "lagar-och-foreskrifter"), ("internal", "internkontroll"),
        )}
        for key, (render, exclude) in pages.items():
            self._add_slot(files, config, taken, self.overview_uris[key], t.PAGE_TITLES[key],
                           lambda page, render=render: render(result, self._linker(page)), exclude)
        self.slots[self.overview_uris["register"]] = lambda page: overview.register(  # links to the exports too
            result, self._linker(page), exports=lambda name: get_relative_url(name, page.url))
        owners = sorted({d.owner for d in result.documents if d.owner})
        owner_uri = {o: f"{base}/ansvariga/{o}.md" for o in owners}
        self._add_slot(
            files, config, taken, self.overview_uris["owners"], t.PAGE_TITLES["owners"],
            lambda page: overview.owners_index(
                result, lambda o: get_relative_url(self._url(owner_uri[o], files), page.url)),
            True, in_nav=True,
        )
        for owner in owners:
            title = f"Mina dokument: {result.org.role_title(owner)}"
            self._add_slot(files, config, taken, owner_uri[owner], title,
                           lambda page, owner=owner: overview.owner_page(
                               result, owner, self._linker(page),
                               calendar=get_relative_url(f"{base}/ansvariga/{owner}.ics", page.url)),
                           True, in_nav=False)

    def _add_slot(self, files: Files, config: MkDocsConfig, taken: dict[str, File], src_uri: str, title: str,
                  render: Any, exclude_from_search: bool, in_nav: bool = True) -> None:
        search = "search:\n  exclude: true\n" if exclude_from_search else ""
        # The table pages use the page's width; a table of contents only where there are sections.
        sections = {self.overview_uris.get(k) for k in ("processes", "requirements", "laws")}
        search += "" if src_uri in sections else "hide:\n  - toc\n"
        source = (f"---\ntitle: {json.dumps(t.e(title))}\nrender_macros: false\n{search}---\n\n"
                  f"# {t.e(title)}\n\n{SLOT}\n")
        file = File.generated(config, src_uri, content=source,
                              inclusion=InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV)
        if file.dest_uri in taken:
            raise PluginError(f"handbok: docs/{taken[file.dest_uri].src_uri} krockar med den genererade "
                              f"sidan {src_uri}. Byt namn på sidan i docs/ eller ändra overview_dir.")
        files.append(file)
        taken[file.dest_uri] = file
        self.slots[src_uri] = render

    def _url(self, src_uri: str, files: Files) -> str:
        file = files.get_file_from_path(src_uri)
        return file.url if file else src_uri

    def _law_linker(self, page: Page) -> Any:
        """legal_refs text -> its act's section on the laws page, relative to `page`."""
        register, today = self.law_register, self.result.today if self.result else None
        if register is None or today is None:
            return None
        url = get_relative_url(self.laws_url, page.url)
        return lambda text: f"{url}#{laws.ref_anchor(register, text, today)}"

    def _linker(self, page: Page) -> doc_page.Link:
        return lambda doc: get_relative_url(self.doc_urls.get(doc.path, doc.path), page.url)

    def _overview_nav(self) -> list[dict[str, str]]:
        order = ("register", "plan", "processes", "requirements", "laws", "owners", "recent", "internal")
        return [{t.PAGE_TITLES[k]: self.overview_uris[k]} for k in order]

    def _mentions_overview(self, item: Any) -> bool:
        if isinstance(item, dict):
            return any(self._mentions_overview(v) for v in item.values())
        if isinstance(item, list):
            return any(self._mentions_overview(v) for v in item)
        return isinstance(item, str) and item.startswith(f"{self.config.overview_dir}/")

    def _nav(self, files: Files) -> list[Any]:
        """The site's own pages as MkDocs would list them, then the overview section."""
        own = [f.src_uri for f in files.documentation_pages()
               if f.generated_by is None and f.inclusion.is_in_nav()]
        index = [p for p in own if p in ("index.md", "README.md")]
        rest = [p for p in own if p not in index]
        home = [{t.HOME: p} for p in index]  # not the site's name a second time under the title
        return [*home, {t.NAV_SECTION: self._overview_nav()}, *nest_paths(rest)]

    @event_priority(-100)
    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Priority -100, after every plugin has added its files: while serving with
        --dirty, mark what a change leaves as it was (`handbok.mkdocs_incremental`)."""
        if self.result is not None and self.checked is not None:
            facts = file_signatures(self.root, self._site_sources(config))
            facts += [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("HANDBOK_") or k == "CI"]
            documents = {uri: doc.path for uri, doc in self.doc_files.items()}
            self.incremental.plan(files, self.result, self.checked, facts, documents, self.slots)
        return nav

    def _site_sources(self, config: MkDocsConfig) -> list[str]:
        """The files inside the handbook that every page may depend on: mkdocs.yml,
        data/, docs/ and the theme's overrides."""
        folders = [config.config_file_path or "mkdocs.yml", config.docs_dir, self.root / self.config.data_dir]
        if config.theme.custom_dir:
            folders.append(config.theme.custom_dir)
        out = []
        for folder in folders:
            path = Path(folder).resolve()
            if path.is_relative_to(self.root) and path.exists():
                out.append(path.relative_to(self.root).as_posix())
        return out

    def on_build_error(self, *, error: Exception) -> None:
        self.incremental.idle_collect()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Serving dirty: a saved routine is noticed sooner (`Incremental.watch`)."""
        self.incremental.watch(server, len(self.doc_files))
        return server

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Serving dirty: the theme's templates are compiled once per session."""
        self.incremental.templates(env)
        return env

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """A routine is rendered inside the core's guard (`handbok.render.guarded`): one that
        the Markdown renderer cannot cope with (too deep, too slow, an exception) becomes a
        page that says so, and the rest of the site builds. MkDocs renders a page by calling
        `page.render` between `on_page_markdown` and `on_page_content`, with no event around
        the rendering itself, so this page's `render` is wrapped here."""
        doc = self.doc_files.get(page.file.src_uri)
        if doc is None:
            return page
        render = page.render
        timeout = float(self.config.render_timeout)

        def render_guarded(config: MkDocsConfig, files: Files) -> None:
            _, failure = guarded(lambda: render(config, files), timeout)
            if failure is not None:
                known = self.result is not None and any(
                    f.code == "render-failed" for f in self.result.findings_for(doc.path))
                if not known:  # else the gate's list of errors names it already
                    log.warning(visible(f"handbok: {doc.path}: {msg.render_failed(failure.reason, failure.detail)}"))
                page.content = doc_page.render_failed_notice(failure.reason, failure.detail)
                page.toc = get_toc([])
                page.present_anchor_ids = set()

        page.render = render_guarded  # type: ignore[method-assign]
        return page

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Public site: tell the link filter which page is rendered next (handbok.unlink)."""
        if self.unlink is not None:
            self.unlink.page = page.file.src_uri
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Document pages get their banners (searchable: a hit shows the page is not valid)
        and a mark where the panel goes; overview pages get their tables."""
        src_uri = page.file.src_uri
        if self.unlink is not None and src_uri not in self.doc_files:  # pages of docs/ (HTML links)
            html = unlink_html(html, src_uri, self.unlink.hidden)
        if src_uri in self.slots:
            content, self.held[src_uri] = _hold_lists(self.slots[src_uri](page))
            if self.result is not None and src_uri != accessibility.URI:  # the day the statuses were computed
                content = doc_page.computed_note(self.result.today) + content
            return html.replace(SLOT, content, 1)
        doc = self.doc_files.get(src_uri)
        if doc is None and "handbok-scroll" in html:  # a docs/ page with macro tables
            html, held = _hold_lists(html, _MACRO_TABLE_RE)
            if held:  # put back after indexing (on_page_context), like the overview lists
                self.held[src_uri] = held
        if doc is None or self.result is None:
            return html
        if doc.id and ID_RE.fullmatch(doc.id):  # the id leads to its document first: Material
            page.meta["tags"] = [doc.id]  # boosts tags in search (only a valid id: it is not escaped there)
        html = sanitise(html)
        if self.unlink is not None:  # links written as HTML, as the sanitiser left them
            html = unlink_html(html, src_uri, self.unlink.hidden)
        errors, notes = doc_page.editor_findings(doc, self.result)
        top = doc_page.banners(doc, self.result, self._linker(page), errors, notes,
                               law_link=self._law_linker(page)) + PANEL_MARK
        heading_end = html.find("</h1>")
        if heading_end == -1:
            return f"<h1>{t.e(doc.title or doc.id or doc.path)}</h1>{top}{html}"
        cut = heading_end + len("</h1>")
        return html[:cut] + top + html[cut:]

    @event_priority(-100)
    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        """The panel and the closing sections go in after the search plugin has indexed the
        page: they are metadata and links to other documents, not what a reader searches
        for, and leaving them out halves the indexing cost of a document page. Likewise the
        document lists of the overview pages: a search for a step finds the step, and the
        documents themselves are found on their own pages."""
        self.incremental.indexed(page)  # after the search plugin, before the panel goes in
        held = self.held.pop(page.file.src_uri, None)
        if held is not None and page.content is not None:
            page.content = _HELD_RE.sub(lambda m: held[int(m[1])], page.content)
            return context
        doc = self.doc_files.get(page.file.src_uri)
        if doc is None or self.result is None or page.content is None:
            return context
        link = self._linker(page)
        panel = doc_page.panel(doc, self.result, link, law_link=self._law_linker(page))
        panel += doc_page.editor_box(*doc_page.editor_findings(doc, self.result))  # not indexed
        stable = addresses.id_page_path(doc)  # on paper and in e-mails the id address outlives moves
        where = stable.removesuffix("index.html") if stable else page.url
        address = urljoin(config.site_url, where) if config.site_url else None
        panel = doc_page.reader_actions(doc, self.result, address, self.config.feedback, config.repo_url) + panel
        page.content = page.content.replace(PANEL_MARK, panel, 1) + doc_page.closing(doc, self.result, link)
        return context

    @event_priority(50)  # before the search plugin writes its index (priority 0)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """A dirty build is completed (see `on_nav`); then the CI gate: fail the build when
        `fail_on` triggers, naming every cause."""
        self.incremental.finish(config, self.serving)
        result = self.result
        if result is None:
            return
        checked = self.checked or result  # a public build answers for what it publishes and the data
        for f in checked.findings:
            if f.severity == "error" and f.path not in self.left_out:
                log.warning(_describe(f))
        bad = [f for f in failing(checked, self.fail_on) if f.path not in self.left_out]
        if not bad:
            s = result.summary()
            log.info(f"handbok: {s['documents']} dokument, {s['overdue']} med passerat revisionsdatum, "
                     f"{s['errors']} fel (fail_on: {self.fail_on}).")
            return
        lines = "\n".join(f"  - {_describe(f)}" for f in bad)
        message = (f"handbok: bygget stoppas (fail_on: {self.fail_on}) av {len(bad)} problem:\n{lines}")
        if self.serving:
            log.error(message)
            return
        raise PluginError(message)


def _nav_mentions(item: Any, uri: str) -> bool:
    if isinstance(item, dict):
        return any(_nav_mentions(v, uri) for v in item.values())
    if isinstance(item, list):
        return any(_nav_mentions(v, uri) for v in item)
    return item == uri


def _hold_lists(html: str, pattern: re.Pattern[str] = _DOCLIST_RE) -> tuple[str, list[str]]:
    """The HTML with each document list replaced by a numbered mark, and the lists."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match[0])
        return f"<!--handbok-list-{len(held) - 1}-->"

    return pattern.sub(hold, html), held


def _offline_emoji(index: str, shortname: str, alias: str, uc: str | None, alt: str, title: str,
                   category: str, options: Any, md: Any) -> Any:
    """pymdownx.emoji generator: a theme icon inlined as SVG, an emoji as its character."""
    from material.extensions import emoji as material_emoji
    from pymdownx import emoji

    if not uc:
        return material_emoji.to_svg(index, shortname, alias, uc, alt, title, category, options, md)
    return emoji.to_alt(index, shortname, alias, uc, alt, title, category, options, md)


def _describe(f: Finding) -> str:
    """A finding for the build log, control characters shown, never acted on."""
    where = f"{f.path}:{f.line}" if f.line else f.path
    who = f"{f.document} " if f.document else ""
    return visible(f"{who}({where}) [{f.code}] {f.message}")
