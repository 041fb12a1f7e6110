"""The scheduled reminder job `handbok init` writes beside the CI configuration: a
separate file per platform, off until someone turns it on (documented in each file)."""

from __future__ import annotations

__all__ = ["REMIND_CI"]

GITHUB = """\
# Månatliga påminnelser till dokumentansvariga (handbok remind --send). AVSTÄNGT från början:
# 1. Lägg in e-postserverns uppgifter under Settings > Secrets and variables > Actions:
#    hemligheterna HANDBOK_SMTP_USER och HANDBOK_SMTP_PASSWORD och variablerna
#    HANDBOK_SMTP_HOST, HANDBOK_SMTP_PORT och HANDBOK_SMTP_FROM.
# 2. Ta bort # framför de två raderna under "schedule" nedan. Då körs jobbet den 1:a varje
#    månad kl. 06 (UTC). Du kan också köra det för hand under Actions (Run workflow).
name: Påminnelser

on:
  workflow_dispatch:
#  schedule:
#    - cron: "0 6 1 * *"

permissions:
  contents: read

jobs:
  paminnelser:
    name: Påminn dokumentansvariga
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - name: Installera handbok
        run: pip install -r requirements.txt
      - name: Skicka påminnelser
        env:
          HANDBOK_SMTP_HOST: ${{ vars.HANDBOK_SMTP_HOST }}
          HANDBOK_SMTP_PORT: ${{ vars.HANDBOK_SMTP_PORT }}
          HANDBOK_SMTP_FROM: ${{ vars.HANDBOK_SMTP_FROM }}
          HANDBOK_SMTP_USER: ${{ secrets.HANDBOK_SMTP_USER }}
          HANDBOK_SMTP_PASSWORD: ${{ secrets.HANDBOK_SMTP_PASSWORD }}
        run: handbok remind --send
"""

GITLAB = """\
# Månatliga påminnelser till dokumentansvariga (handbok remind --send). AVSTÄNGT från början:
# 1. Lägg till i .gitlab-ci.yml:   include: [{local: .gitlab/handbok-paminnelser.yml}]
# 2. Lägg in HANDBOK_SMTP_HOST, HANDBOK_SMTP_PORT, HANDBOK_SMTP_FROM, HANDBOK_SMTP_USER och
#    HANDBOK_SMTP_PASSWORD (maskerad) under Settings > CI/CD > Variables.
# 3. Skapa ett schema under Build > Pipeline schedules (t.ex. 0 6 1 * *) med variabeln
#    HANDBOK_REMIND = true. Jobbet körs bara i det schemat.
handbok-paminnelser:
  stage: kontroll
  script:
    - handbok remind --send
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule" && $HANDBOK_REMIND == "true"
"""

AZURE = """\
# Månatliga påminnelser till dokumentansvariga (handbok remind --send). AVSTÄNGT från början:
# filen blir en pipeline först när du skapar den under Pipelines > New pipeline > Existing
# Azure Pipelines YAML file. Lägg in HANDBOK_SMTP_HOST, HANDBOK_SMTP_PORT, HANDBOK_SMTP_FROM,
# HANDBOK_SMTP_USER och HANDBOK_SMTP_PASSWORD (hemlig) som pipelinevariabler.
trigger: none
pr: none

schedules:
  - cron: "0 6 1 * *"
    displayName: Den 1:a varje månad
    branches:
      include:
        - main
    always: true

pool:
  vmImage: ubuntu-latest

steps:
  - checkout: self
  - task: UsePythonVersion@0
    inputs:
      versionSpec: '3.12'
    displayName: Python
  - script: pip install -r requirements.txt
    displayName: Installera handbok
  - script: handbok remind --send
    displayName: Skicka påminnelser
    env:
      HANDBOK_SMTP_HOST: $(HANDBOK_SMTP_HOST)
      HANDBOK_SMTP_PORT: $(HANDBOK_SMTP_PORT)
      HANDBOK_SMTP_FROM: $(HANDBOK_SMTP_FROM)
      HANDBOK_SMTP_USER: $(HANDBOK_SMTP_USER)
      HANDBOK_SMTP_PASSWORD: $(HANDBOK_SMTP_PASSWORD)
"""

REMIND_CI: dict[str, tuple[str, str]] = {
    "github": (".github/workflows/handbok-paminnelser.yml", GITHUB),
    "gitlab": (".gitlab/handbok-paminnelser.yml", GITLAB),
    "azure": ("azure-pipelines-paminnelser.yml", AZURE),
}
