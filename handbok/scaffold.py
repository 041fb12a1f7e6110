"""The files `handbok init` writes: a new handbook's configuration, data, example
documents, README and CI configuration, in Swedish.

`{{ kommun }}`, `{{ kommun_yaml }}`, `{{ today }}` and `{{ version }}` are filled in by
`handbok.init`; the example documents' bodies come from the type templates.
"""

from __future__ import annotations

__all__ = ["CI_FILES", "DOCUMENTS", "FILES"]

MKDOCS_YML = """\
# Webbplatsens inställningar. Bygg med `mkdocs build`, förhandsgranska med `mkdocs serve --dirty` (bygger om bara det som ändrats).
site_name: {{ kommun_yaml }}
site_description: Rutiner och riktlinjer för socialtjänsten (SOSFS 2011:9)

theme:
  name: material
  language: sv
  features:
    - navigation.sections
    - navigation.top
    - search.highlight

plugins:
  - search
  - handbok:
      warn_days: 60          # dagar före revisionsdatum som räknas som "revideras snart"
      # visibility: public   # bygger den publika webbplatsen: bara dokument med visibility: public
      accessibility:         # tillgänglighetsredogörelsen enligt DOS-lagen (2018:1937)
        organisation: {{ organisation_yaml }}
        contact:
          email: webbredaktion@kommun.se     # ändra: dit läsare anmäler brister
        compliance: partial  # full, partial eller none: ändra efter er granskning
        shortcomings:        # kända brister, en rad per brist
          - Webbplatsen är ny och har ännu inte granskats i sin helhet.
        reviewed: {{ today }}  # dagen för den senaste granskningen av tillgängligheten

markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
"""

INDEX_MD = """\
# Kvalitetshandbok för {{ kommun }}

Här finns socialtjänstens rutiner, riktlinjer och andra styrdokument. Handboken är en
del av ledningssystemet för systematiskt kvalitetsarbete enligt SOSFS 2011:9.

## Hitta rätt dokument

- [Dokumentförteckning](oversikt/dokumentforteckning.md): alla dokument, filtrera på enhet, typ, status och ansvarig.
- [Processkarta](oversikt/processkarta.md): rutinerna för varje steg i arbetet.
- [Revisionsplan](oversikt/revisionsplan.md): vilka dokument som ska revideras och när.
- [SOSFS 2011:9](oversikt/sosfs-2011-9.md): vilka krav i föreskrifterna som dokumenten uppfyller.
- [Dokumentansvariga](oversikt/ansvariga/index.md): varje chefs egna dokument.

## För dig som skriver styrdokument

Läs [Så skriver du ett styrdokument](guide/skriva-styrdokument.md) innan du ändrar
eller lägger till ett dokument.
"""

ABOUT_MD = """\
# Om ledningssystemet

Socialnämnden i {{ kommun }} ansvarar för att det finns ett ledningssystem för
systematiskt kvalitetsarbete (SOSFS 2011:9, 3 kap.) och att det används för att
planera, leda, kontrollera, följa upp, utvärdera och förbättra verksamheten.

Den här handboken är ledningssystemets dokumentation:

- **Processkartan** visar verksamhetens processer och deras aktiviteter (4 kap. 2–3 §§).
- **Rutinerna** beskriver hur varje aktivitet går till och vem som ansvarar (4 kap. 4 §).
- **Egenkontroll, riskanalys, klagomål och avvikelser** beskrivs i dokumenten under
  Ledningssystemet (5 kap.).

Varje dokument har en dokumentansvarig roll, ett beslut och ett datum då det ska
granskas igen. Rutinen Styrdokumenthantering (LS-RUT-001) beskriver hur det går till.
"""

ORGANISATION_YML = """\
# Organisationen bakom handboken för {{ kommun }}: enheter, beslutande organ och roller.
#
# Dokumenten anger roller (owner, decided_by), inte personer: när någon slutar ändrar
# du bara raden holder för rollen. Byt ut exemplen mot er egen organisation.
# Nycklarna (t.ex. forsorjningsstod) skrivs med små bokstäver utan å, ä och ö och
# används i dokumenten; namnen och titlarna visas på webbplatsen.

units:
  socialforvaltningen:
    name: Socialförvaltningen
  ifo:
    name: Individ- och familjeomsorg
    parent: socialforvaltningen       # enheten ligger under socialförvaltningen
  forsorjningsstod:
    name: Försörjningsstöd
    parent: ifo
  kvalitet:
    name: Kvalitet och utveckling
    parent: socialforvaltningen

bodies:
  socialnamnden:
    name: Socialnämnden

roles:
  forvaltningschef:
    title: Förvaltningschef
    unit: socialforvaltningen
    # holder: För- och efternamn      # vem som har rollen nu (visas på webbplatsen)
    # email: fornamn.efternamn@kommun.se
    # git: "@anvandarnamn"            # användarnamn på GitHub eller GitLab, för CODEOWNERS
  enhetschef-forsorjningsstod:
    title: Enhetschef försörjningsstöd
    unit: forsorjningsstod
  kvalitetsutvecklare:
    title: Kvalitetsutvecklare
    unit: kvalitet
  socialsekreterare:
    title: Socialsekreterare
    unit: forsorjningsstod
"""

PROCESSES_YML = """\
# Processkartan: verksamhetens processer och deras steg (SOSFS 2011:9, 4 kap. 2–3 §§).
#
# Varje steg ska ha minst en gällande rutin (4 kap. 4 §). Ett dokument anger sitt steg i
# fältet processes, t.ex. processes: [utredning]. Stegnycklarna är unika i hela filen.
# Ett steg utan gällande rutin visas som en lucka (process-gap) tills rutinen finns.

ekonomiskt-bistand:
  name: Ekonomiskt bistånd
  description: Från första kontakt till avslutat ärende, med målet att den enskilde ska kunna försörja sig själv.
  steps:
    nybesok-ansokan:
      name: Nybesök och ansökan
    utredning:
      name: Utredning
    beslut:
      name: Beslut och underrättelse
    utbetalning:
      name: Utbetalning
    planering-sjalvforsorjning:
      name: Planering mot självförsörjning
    uppfoljning:
      name: Uppföljning av planen
    avslut:
      name: Avslut av ärende

ledningssystem:
  name: Ledningssystemet
  description: Hur verksamheten planeras, leds, kontrolleras, följs upp, utvärderas och förbättras.
  steps:
    styrdokument:
      name: Styrdokumenthantering
    egenkontroll:
      name: Egenkontroll
    riskanalys:
      name: Riskanalys
    avvikelser:
      name: Avvikelser och rapporter om missförhållanden
    klagomal:
      name: Klagomål och synpunkter
"""

GITIGNORE = """\
# Webbplatsen byggs av mkdocs och ska inte versionshanteras.
site/
public/
.venv/
__pycache__/
*.pyc
.cache/
"""

REQUIREMENTS_TXT = """\
# Versionerna som handboken kontrolleras och byggs med, i CI och på din dator:
#   pip install -r requirements.txt
# Uppdatera dem tillsammans. Finns handbok inte i ert paketregister, ersätt första
# raden med adressen till paketet, t.ex. handbok @ https://.../handbok-{{ version }}-py3-none-any.whl
{{ pins }}
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com) kör handbok check före varje commit, så att ett
# fel i metadatan upptäcks innan det skickas. Slå på det en gång per dator:
#   pip install pre-commit
#   pre-commit install
repos:
  - repo: local
    hooks:
      - id: handbok-check
        name: handbok check
        entry: handbok check --fail-on error
        language: system
        pass_filenames: false
        files: ^(routines/|data/|mkdocs\\.yml$)
"""

README_MD = """\
# Kvalitetshandbok för {{ kommun }}

Här finns socialtjänstens styrdokument (rutiner, riktlinjer, checklistor och mallar) som
Markdown-filer. Verktyget handbok kontrollerar dem
och bygger en webbplats av dem, strukturerad efter SOSFS 2011:9.

## Gör så här först

1. **Organisationen.** Öppna `data/organisation.yml` och skriv in era enheter, er
   nämnd och de roller som äger dokument (dokumentansvariga). Skriv vem som har
   rollen på raden `holder`.
2. **Processerna.** Öppna `data/processes.yml` och anpassa processkartan. Varje steg
   ska ha en rutin.
3. **Exempeldokumenten.** Under `routines/` finns ett exempel per dokumenttyp. Rutinen
   *Styrdokumenthantering* är gällande; de andra är utkast. Skriv om dem eller ta
   bort dem.
4. **Kontrollera och titta.** Installera verktyget och kör kontrollen (se nedan), och
   starta webbplatsen på din dator med `mkdocs serve --dirty`: öppna http://127.0.0.1:8000/.
5. **Lägg upp handboken** i ert git-förråd (GitHub, GitLab eller Azure DevOps). Vid
   varje ändring kontrolleras handboken automatiskt och webbplatsen byggs.

## Installera verktyget

Du behöver Python 3.11 eller senare.

På Windows (PowerShell):

```
py -m venv .venv
.venv\\Scripts\\activate
pip install -r requirements.txt
```

På macOS och Linux:

```
python3 -m venv .venv
. .venv/bin/activate
pip install -r requirements.txt
```

Kommandot `handbok` finns sedan så länge den virtuella miljön är aktiverad.

## Det vanliga arbetet

```
handbok check                         # kontrollera hela handboken
handbok new rutin "Titel" --owner ROLL   # nytt dokument (utkast) med nästa lediga id
handbok review ID                     # registrera en granskning utan ändringar
mkdocs serve --dirty                  # förhandsgranska; bygger om det en ändring påverkar
```

Hur ett dokument ska se ut och vad varje meddelande betyder står i guiden
`docs/guide/skriva-styrdokument.md` (på webbplatsen: *Så skriver du ett styrdokument*).
"""

STYRDOKUMENTHANTERING = """\
---
id: LS-RUT-001
title: Styrdokumenthantering
type: rutin
owner: kvalitetsutvecklare
decided_by: forvaltningschef
decision_date: {{ today }}
version: "1.0"
history:
  - {date: {{ today }}, version: "1.0", note: "Första versionen."}
processes: [styrdokument]
requirements: [sosfs-2011-9/4-4, sosfs-2011-9/7-dokumentation]
---

# Styrdokumenthantering

## Syfte

Rutinen beskriver hur styrdokument tas fram, fastställs, granskas och upphävs, så att
alla vet vilken version som gäller och vem som ansvarar för den.

## Ansvar

- Den dokumentansvariga rollen (owner) håller dokumentet aktuellt och granskar det
  senast på revisionsdatumet.
- Den som fastställer (decided_by) beslutar om nya dokument och om ändringar i innehållet.
- Kvalitetsutvecklaren förvaltar handboken och hjälper till med formen.

## Arbetsgång

1. Ett nytt dokument skapas som utkast med `handbok new` eller genom att kopiera
   mallen i guiden *Så skriver du ett styrdokument*.
2. Ändringen lämnas in som en ändringsbegäran (pull request eller merge request).
   Den dokumentansvariga godkänner den.
3. När dokumentet är fastställt sätts `status: active`, `decided_by` och `decision_date`.
4. Visar granskningen att inget behöver ändras registreras det med `handbok review`.
5. Ett dokument som inte längre gäller upphävs med `status: repealed`; det raderas inte.

## Dokumentation

Beslut, version och historik står i dokumentets metadata. Git sparar varje ändring.

## Uppföljning

Kvalitetsutvecklaren går igenom revisionsplanen varje kvartal tillsammans med
förvaltningsledningen.
"""

# (path, id, title, type, owner, decided_by, processes, requirements) of the example drafts.
DOCUMENTS: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    ("routines/ledningssystem/riktlinje-ledningssystem.md", "LS-RIK-001", "Riktlinje för ledningssystemet",
     "riktlinje", "forvaltningschef", "socialnamnden", "", "sosfs-2011-9/3-ansvar"),
    ("routines/ekonomiskt-bistand/processbeskrivning-ekonomiskt-bistand.md", "EB-PRO-001",
     "Processbeskrivning ekonomiskt bistånd", "processbeskrivning", "enhetschef-forsorjningsstod",
     "forvaltningschef", "ekonomiskt-bistand", "sosfs-2011-9/4-2"),
    ("routines/ekonomiskt-bistand/nybesok-och-ansokan.md", "EB-RUT-001", "Nybesök och ansökan", "rutin",
     "enhetschef-forsorjningsstod", "enhetschef-forsorjningsstod", "nybesok-ansokan", "sosfs-2011-9/4-4"),
    ("routines/ekonomiskt-bistand/instruktion-hembesok.md", "EB-INS-001", "Instruktion för hembesök",
     "instruktion", "enhetschef-forsorjningsstod", "enhetschef-forsorjningsstod", "utredning", ""),
    ("routines/ekonomiskt-bistand/checklista-avslut.md", "EB-CHK-001", "Checklista vid avslut av ärende",
     "checklista", "enhetschef-forsorjningsstod", "enhetschef-forsorjningsstod", "avslut", ""),
    ("routines/ekonomiskt-bistand/mall-plan-sjalvforsorjning.md", "EB-MALL-001",
     "Mall för plan mot självförsörjning", "mall", "enhetschef-forsorjningsstod",
     "enhetschef-forsorjningsstod", "planering-sjalvforsorjning", ""),
)

GITHUB_WORKFLOW = """\
# Kontrollerar handboken vid varje pull request och push till main, och bygger webbplatsen.
# På en pull request granskas bara de dokument som ändringen rör (handbok check --base).
# Varje natt byggs webbplatsen om: en statisk sida blir inte röd av sig själv när ett
# revisionsdatum passeras, och varje sida säger vilken dag statusen beräknades.
name: Handbok

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:
  schedule:
    - cron: "30 3 * * *"

permissions:
  contents: read

jobs:
  kontroll:
    name: Kontroll och bygge
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0        # hela historiken: --base och "senast ändrad" behöver den
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - name: Installera handbok
        run: pip install -r requirements.txt
      - name: Sammanfattning
        env:
          BASE_REF: ${{ github.base_ref }}
        run: handbok check ${BASE_REF:+--base "origin/$BASE_REF"} --format markdown --fail-on never >> "$GITHUB_STEP_SUMMARY"
      - name: Kontrollera ändringen
        if: github.event_name == 'pull_request'
        env:
          BASE_REF: ${{ github.base_ref }}
        run: handbok check --base "origin/$BASE_REF" --format github
      - name: Kontrollera handboken
        if: github.event_name != 'pull_request'
        env:                    # på natten stoppar bara fel: försenade dokument ska synas på sidan
          FAIL_ON: ${{ github.event_name == 'schedule' && 'error' || 'overdue' }}
        run: handbok check --format github --fail-on "$FAIL_ON"
      - name: Bygg webbplatsen
        env:
          CI: ${{ github.event_name == 'schedule' && 'false' || 'true' }}
        run: mkdocs build
      - name: Spara webbplatsen
        uses: actions/upload-artifact@v4
        with:
          name: webbplats
          path: site/
"""

GITLAB_CI = """\
# Kontrollerar handboken i varje merge request och på huvudgrenen, visar resultatet i
# merge requesten (Code Quality och testrapport) och publicerar webbplatsen med GitLab Pages.
# Bygg om webbplatsen varje natt (en statisk sida blir inte röd av sig själv): lägg till
# ett schema för huvudgrenen under Build > Pipeline schedules, t.ex. "30 3 * * *".
default:
  image: python:3.12
  before_script:
    - pip install -r requirements.txt
  cache:
    paths:
      - .cache/pip

variables:
  GIT_DEPTH: "0"
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

stages:
  - kontroll
  - bygge

handbok-kontroll:
  stage: kontroll
  script:
    - handbok check --format gitlab --fail-on never > gl-code-quality-report.json
    - handbok check --format junit --fail-on never > handbok-junit.xml
    - |
      if [ -n "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" ]; then
        target="$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
        git fetch origin "+refs/heads/$target:refs/remotes/origin/$target"
        handbok check --base "origin/$target"
      else
        handbok check
      fi
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
      junit: handbok-junit.xml
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

pages:
  stage: bygge
  script:
    - mkdocs build --site-dir public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"     # nattligt bygge: försenade dokument ska synas
      when: always
      variables:
        CI: "false"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

AZURE_PIPELINES = """\
# Kontrollerar handboken vid varje pull request och push till main och bygger webbplatsen.
# Testrapporten publiceras alltid; det är kontrollens slutkod som stoppar en ändring.
# Varje natt byggs webbplatsen om: en statisk sida blir inte röd av sig själv.
trigger:
  branches:
    include:
      - main

schedules:
  - cron: "30 3 * * *"
    displayName: Nattligt bygge
    branches:
      include:
        - main
    always: true

pr:
  branches:
    include:
      - '*'

pool:
  vmImage: ubuntu-latest

steps:
  - checkout: self
    fetchDepth: 0
    persistCredentials: true      # git fetch nedan behöver behörigheten
  - task: UsePythonVersion@0
    inputs:
      versionSpec: '3.12'
    displayName: Python
  - script: pip install -r requirements.txt
    displayName: Installera handbok
  - script: handbok check --format junit --fail-on never > handbok-junit.xml
    displayName: Testrapport
  - task: PublishTestResults@2
    condition: succeededOrFailed()
    inputs:
      testResultsFormat: JUnit
      testResultsFiles: handbok-junit.xml
      testRunTitle: handbok check
  - script: |
      if [ "$(Build.Reason)" = "PullRequest" ]; then
        target="${SYSTEM_PULLREQUEST_TARGETBRANCH#refs/heads/}"
        git fetch origin "+refs/heads/$target:refs/remotes/origin/$target"
        handbok check --base "origin/$target"
      elif [ "$(Build.Reason)" = "Schedule" ]; then
        handbok check --fail-on error
      else
        handbok check
      fi
    displayName: Kontrollera handboken
  - script: |
      if [ "$(Build.Reason)" = "Schedule" ]; then export CI=false; fi
      mkdocs build
    displayName: Bygg webbplatsen
  - publish: site
    artifact: webbplats
    displayName: Spara webbplatsen
"""

FILES: dict[str, str] = {
    "mkdocs.yml": MKDOCS_YML,
    "docs/index.md": INDEX_MD,
    "docs/om-ledningssystemet.md": ABOUT_MD,
    "data/organisation.yml": ORGANISATION_YML,
    "data/processes.yml": PROCESSES_YML,
    ".gitignore": GITIGNORE,
    "requirements.txt": REQUIREMENTS_TXT,
    ".pre-commit-config.yaml": PRE_COMMIT,
    "README.md": README_MD,
    "routines/ledningssystem/styrdokumenthantering.md": STYRDOKUMENTHANTERING,
}

CI_FILES: dict[str, tuple[str, str]] = {
    "github": (".github/workflows/handbok.yml", GITHUB_WORKFLOW),
    "gitlab": (".gitlab-ci.yml", GITLAB_CI),
    "azure": ("azure-pipelines.yml", AZURE_PIPELINES),
}
