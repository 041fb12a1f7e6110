"""The tillgänglighetsredogörelse (accessibility statement) required by the lag (2018:1937)
om tillgänglighet till digital offentlig service (DOS-lagen), from a short section of
mkdocs.yml:

```yaml
plugins:
  - handbok:
      accessibility:
        organisation: Exempelkommun, socialförvaltningen
        contact: {email: webb@exempelkommun.se, phone: 0123-45 67 00}
        shortcomings: ["Tabellerna i revisionsplanen ..."]
        reviewed: 2026-09-15
```

Keys: `organisation`, `contact` (`email`, `phone`, `url`: at least one), `reviewed` (the
day of the latest assessment) are required; `shortcomings` (known content that is not
accessible), `compliance` (`full`, `partial`, `none`; by default `partial` when there
are shortcomings, else `full`), `disproportionate` (exempted as a disproportionate
burden, 12 §), `out_of_scope` (content the law does not cover, 9 §), `method` and
`updated` are optional. The headings are those of DIGG's model statement. The page
is a Jinja2 template with autoescape: every value from mkdocs.yml is text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from ..load import parse_date
from . import text as t

__all__ = ["COMPLIANCE", "TITLE", "URI", "Statement", "accessibility_page", "statement_from"]

TITLE = "Tillgänglighetsredogörelse"
URI = "tillganglighetsredogorelse.md"
KEYS = ("organisation", "contact", "compliance", "shortcomings", "disproportionate", "out_of_scope",
        "method", "reviewed", "updated")
CONTACT_KEYS = ("email", "phone", "url")
COMPLIANCE = {"full": "helt förenlig", "partial": "delvis förenlig", "none": "inte förenlig"}
DEFAULT_METHOD = "självskattning (intern granskning)"
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
LAW = "lagen (2018:1937) om tillgänglighet till digital offentlig service"
EXAMPLE = "accessibility: {organisation: ..., contact: {email: ...}, reviewed: 2026-09-15}"


@dataclass(frozen=True)
class Statement:
    organisation: str
    reviewed: dt.date
    email: str = ""
    phone: str = ""
    url: str = ""
    compliance: str = "full"
    shortcomings: tuple[str, ...] = ()
    disproportionate: tuple[str, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    method: str = DEFAULT_METHOD
    updated: dt.date | None = None


def _problem(text: str) -> ValueError:
    return ValueError(f"accessibility i mkdocs.yml: {text}")


def _text(options: Mapping[str, Any], key: str, required: bool = False) -> str:
    value = options.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _problem(f"{key} saknas ({EXAMPLE}).")
        return ""
    if not isinstance(value, str | int):
        raise _problem(f"{key} ska vara en text.")
    return str(value).strip()


def _texts(options: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = options.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _problem(f"{key} ska vara en lista med texter, en punkt per brist.")
    return tuple(v.strip() for v in value if v.strip())


def _date(options: Mapping[str, Any], key: str, required: bool = False) -> dt.date | None:
    value = options.get(key)
    if value is None:
        if required:
            raise _problem(f"{key} saknas: ange datum för den senaste bedömningen, t.ex. 2026-09-15.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    date = parse_date(str(value))
    if date is None:
        raise _problem(f"{key} är '{value}', inget datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2026-09-15.")
    return date


def statement_from(options: Mapping[str, Any]) -> Statement:
    """The statement of mkdocs.yml's `accessibility` section; ValueError in Swedish."""
    if not isinstance(options, Mapping):
        raise _problem(f"ska vara nycklar och värden, t.ex. {EXAMPLE}.")
    unknown = [k for k in options if k not in KEYS]
    if unknown:
        raise _problem(f"okänd nyckel {unknown[0]}. Möjliga nycklar: {', '.join(KEYS)}.")
    contact = options.get("contact") or {}
    if not isinstance(contact, Mapping) or any(k not in CONTACT_KEYS for k in contact):
        raise _problem("contact ska ha email, phone och/eller url, t.ex. contact: {email: webb@kommun.se}.")
    email, phone, url = (_text(contact, k) for k in CONTACT_KEYS)
    if url and not url.lower().startswith(("https://", "http://")):
        raise _problem(f"contact: url är '{url}'. Skriv en hel webbadress som börjar med https://.")
    if not (email or phone or url):
        raise _problem("contact saknas: ange e-post, telefon eller en webbadress dit brister kan anmälas.")
    shortcomings = _texts(options, "shortcomings")
    compliance = _text(options, "compliance") or ("partial" if shortcomings else "full")
    if compliance not in COMPLIANCE:
        raise _problem(f"compliance är '{compliance}'. Skriv full, partial eller none.")
    reviewed = _date(options, "reviewed", required=True)
    assert reviewed is not None
    return Statement(
        organisation=_text(options, "organisation", required=True), reviewed=reviewed,
        email=email, phone=phone, url=url, compliance=compliance, shortcomings=shortcomings,
        disproportionate=_texts(options, "disproportionate"), out_of_scope=_texts(options, "out_of_scope"),
        method=_text(options, "method") or DEFAULT_METHOD, updated=_date(options, "updated"),
    )


_TEMPLATE = """\
<p>{{ s.organisation }} står bakom webbplatsen {{ site }}. Vi vill att så många som möjligt
ska kunna använda den. Här beskriver vi hur webbplatsen uppfyller {{ law }}
(DOS-lagen), vilka brister vi känner till och hur du kan rapportera brister till oss.</p>

<h2 id="hur-tillganglig-ar-webbplatsen">Hur tillgänglig är webbplatsen?</h2>
{% if s.shortcomings %}
<p>Vi vet att delar av webbplatsen inte är helt tillgängliga. Se avsnittet
<a href="#innehall-som-inte-ar-tillgangligt">Innehåll som inte är tillgängligt</a>.</p>
{% else %}
<p>Vi känner inte till några brister i webbplatsens tillgänglighet.</p>
{% endif %}

<h2 id="vad-kan-du-gora">Vad kan du göra om du inte kan använda delar av webbplatsen?</h2>
<p>Om du behöver innehåll från webbplatsen i ett annat format, kontakta oss:</p>
<ul>
{% if s.email %}<li>E-post: <a href="mailto:{{ s.email }}">{{ s.email }}</a></li>{% endif %}
{% if s.phone %}<li>Telefon: {{ s.phone }}</li>{% endif %}
{% if s.url %}<li>Webb: <a href="{{ s.url }}">{{ s.url }}</a></li>{% endif %}
</ul>

<h2 id="rapportera-brister">Rapportera brister i webbplatsens tillgänglighet</h2>
<p>Vi strävar hela tiden efter att förbättra webbplatsens tillgänglighet. Om du upptäcker
problem som inte beskrivs på den här sidan, eller om du anser att vi inte uppfyller lagens
krav, meddela oss på samma sätt som ovan så att vi får veta att problemet finns.</p>

<h2 id="tillsyn">Tillsyn</h2>
<p>Myndigheten för digital förvaltning (Digg) har ansvaret för tillsynen över DOS-lagen.
Om du inte är nöjd med hur vi hanterar dina synpunkter kan du
<a href="{{ digg }}">anmäla bristande tillgänglighet till Digg</a>.</p>

<h2 id="teknisk-information">Teknisk information om webbplatsens tillgänglighet</h2>
<p>Webbplatsen är {{ compliance }} med {{ law }}{% if s.shortcomings %}, på grund av
de brister som beskrivs nedan{% endif %}.</p>
{% if s.shortcomings or s.disproportionate or s.out_of_scope %}

<h2 id="innehall-som-inte-ar-tillgangligt">Innehåll som inte är tillgängligt</h2>
{% if s.shortcomings %}
<h3 id="bristande-forenlighet">Bristande förenlighet med lagkraven</h3>
<ul>
{% for item in s.shortcomings %}<li>{{ item }}</li>
{% endfor %}</ul>
{% endif %}
{% if s.disproportionate %}
<h3 id="oskaligt-betungande">Oskäligt betungande anpassning</h3>
<p>Vi gör undantag från kraven för följande innehåll, enligt 12 § DOS-lagen:</p>
<ul>
{% for item in s.disproportionate %}<li>{{ item }}</li>
{% endfor %}</ul>
{% endif %}
{% if s.out_of_scope %}
<h3 id="omfattas-inte">Innehåll som inte omfattas av lagkraven</h3>
<p>Följande innehåll omfattas inte av lagens krav, enligt 9 § DOS-lagen:</p>
<ul>
{% for item in s.out_of_scope %}<li>{{ item }}</li>
{% endfor %}</ul>
{% endif %}
{% endif %}

<h2 id="hur-vi-testat">Hur vi testat webbplatsen</h2>
<p>Vi har bedömt webbplatsen genom {{ s.method }}. Den senaste bedömningen gjordes
{{ reviewed }}.</p>
<p>Redogörelsen uppdaterades senast {{ updated }}.</p>
"""


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_TEMPLATE)


def accessibility_page(statement: Statement, site_name: str) -> str:
    """The statement as HTML, with the headings Swedish public bodies use (DIGG's model)."""
    return _template().render(
        s=statement, site=site_name, law=LAW, digg=DIGG_REPORT_URL,
        compliance=COMPLIANCE[statement.compliance], reviewed=t.sv_date(statement.reviewed),
        updated=t.sv_date(statement.updated or statement.reviewed),
    )
