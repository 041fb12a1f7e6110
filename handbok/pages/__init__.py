"""Documents -> HTML and Markdown for the site's pages, without MkDocs.

Every function here takes the core's Result and returns text, so a test can
check the register or the review plan without building a site.
"""
