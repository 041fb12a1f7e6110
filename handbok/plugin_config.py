"""Options of the `handbok` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

__all__ = ["HandbokConfig"]


class HandbokConfig(base.Config):
    routines_dir = c.Type(str, default="routines")
    """Folder of the controlled documents, relative to mkdocs.yml."""
    data_dir = c.Type(str, default="data")
    """Folder of organisation.yml, processes.yml and the other data files."""
    warn_days = c.Type(int, default=60)
    """Days before the review date when a document counts as due soon."""
    fail_on = c.Choice(("ci", "error", "overdue", "due-soon", "never"), default="ci")
    """When the build fails; `ci` means `overdue` if the CI variable is true, else `never`."""
    overview_dir = c.Type(str, default="oversikt")
    """Where the generated overview pages are placed in the site."""
    max_file_kb = c.Type(int, default=1024)
    """Largest document or data file read, in kilobytes; a larger one is a finding."""
    render_timeout = c.Type((int, float), default=5.0)
    """Seconds a routine may take to render; a slower one is shown as a notice instead."""
    calendar_alarm_days = c.Type(int, default=14)
    """Days before a review date when the calendars' reminder goes off (0: none)."""
    visibility = c.Choice(("internal", "public"), default="internal")
    """`public` builds the public site: only documents with `visibility: public` (also when
    the environment variable HANDBOK_VISIBILITY is `public`)."""
    feedback = c.Choice(("email", "issues", "none"), default="email")
    """Where "Lämna synpunkt på dokumentet" leads: an e-mail to the owner role's address,
    a new issue at `repo_url` (GitHub, GitLab), or nowhere."""
    accessibility = c.Type(dict, default={})
    """The tillgänglighetsredogörelse: organisation, contact, shortcomings, reviewed
    (see handbok.pages.accessibility); no page when empty."""
