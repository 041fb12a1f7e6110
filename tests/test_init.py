"""`handbok init`: a new handbook that checks and builds at once, CI files that name only
real keys, refusal of a folder that is not empty; the repository's pre-commit hook."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import RunCli

from handbok.init import CI_CHOICES, InitError, init_handbook, planned_files

REPO = Path(__file__).parent.parent
DAY = dt.date(2026, 11, 22)

# Documented keys (docs.github.com "Workflow syntax", docs.gitlab.com "CI/CD YAML syntax
# reference", learn.microsoft.com "YAML schema"), as far as the generated files use them.
GITHUB_TOP = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
GITHUB_JOB = {"name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs",
              "env", "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error", "container",
              "services"}
GITHUB_STEP = {"id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env",
               "continue-on-error", "timeout-minutes"}
GITHUB_ACTIONS = {"actions/checkout@v4": {"fetch-depth"},
                  "actions/setup-python@v5": {"python-version", "cache"},
                  "actions/upload-artifact@v4": {"name", "path"}}
GITLAB_GLOBAL = {"default", "include", "stages", "variables", "workflow"}
GITLAB_DEFAULT = {"after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "image",
                  "interruptible", "retry", "services", "tags", "timeout"}
GITLAB_JOB = {"after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
              "dependencies", "environment", "except", "extends", "image", "interruptible", "needs",
              "only", "pages", "parallel", "release", "resource_group", "retry", "rules", "script",
              "services", "stage", "tags", "timeout", "trigger", "variables", "when"}
GITLAB_REPORTS = {"codequality", "junit", "dotenv", "sast", "coverage_report"}
AZURE_TOP = {"trigger", "pr", "pool", "steps", "variables", "stages", "jobs", "name", "resources",
             "schedules", "parameters"}
AZURE_STEP_KINDS = {"task", "script", "bash", "pwsh", "powershell", "checkout", "publish", "download"}
AZURE_STEP = AZURE_STEP_KINDS | {"inputs", "displayName", "condition", "continueOnError", "enabled",
                                 "env", "name", "timeoutInMinutes", "fetchDepth", "clean", "artifact", "persistCredentials",
                                 "workingDirectory", "failOnStderr"}
AZURE_TASKS = {"UsePythonVersion@0": {"versionSpec"},
               "PublishTestResults@2": {"testResultsFormat", "testResultsFiles", "testRunTitle",
                                        "failTaskOnFailedTests"}}


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "handbok"
    run = subprocess.run([str(Path(sys.executable).with_name("handbok")), "init", str(root),
                          "--kommun", "Exempelby", "--ci", "github", "--today", DAY.isoformat()],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Skapade en ny handbok" in run.stdout
    return root


def test_the_new_handbook_passes_the_check_and_builds(handbook: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HANDBOK_TODAY"}
    bindir = Path(sys.executable).parent
    check = subprocess.run([str(bindir / "handbok"), "check", str(handbook), "--fail-on", "error"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert check.returncode == 0, check.stdout
    assert " 0 fel" in check.stdout
    default = subprocess.run([str(bindir / "handbok"), "check", str(handbook), "--format", "json"],
                             capture_output=True, text=True, env=env, timeout=120)
    assert default.returncode == 0  # nothing overdue either
    build = subprocess.run([str(bindir / "mkdocs"), "build", "--strict", "-q"], cwd=handbook,
                           capture_output=True, text=True, env={**env, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert build.returncode == 0, build.stderr
    site = handbook / "site"
    assert (site / "index.html").is_file()
    assert "Kvalitetshandbok för Exempelby" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "guide/skriva-styrdokument/index.html").is_file()
    assert (site / "oversikt/sosfs-2011-9/index.html").is_file()


def test_layout(handbook: Path) -> None:
    for rel in ("mkdocs.yml", "docs/index.md", "docs/guide/skriva-styrdokument.md", "data/organisation.yml",
                "data/processes.yml", ".gitignore", "requirements.txt", "README.md", ".pre-commit-config.yaml",
                ".github/workflows/handbok.yml"):
        assert (handbook / rel).is_file(), rel
    assert (handbook / "docs/guide/skriva-styrdokument.md").read_text(encoding="utf-8") == \
        (REPO / "docs/guide/skriva-styrdokument.md").read_text(encoding="utf-8")
    assert "# " in (handbook / "data/organisation.yml").read_text(encoding="utf-8").split("\n")[0]
    pins = (handbook / "requirements.txt").read_text(encoding="utf-8")
    assert "\nhandbok==" in pins and "\nmkdocs-material==" in pins
    readme = (handbook / "README.md").read_text(encoding="utf-8")
    assert "Gör så här först" in readme and "Windows" in readme
    types = {path.read_text(encoding="utf-8").split("type: ")[1].split("\n")[0]
             for path in (handbook / "routines").rglob("*.md")}
    assert {"rutin", "riktlinje", "processbeskrivning", "instruktion", "checklista", "mall"} <= types


def test_new_and_review_work_in_the_new_handbook(handbook: Path, cli: RunCli, tmp_path: Path) -> None:
    run = cli("new", "rutin", "Utredning", "--owner", "enhetschef-forsorjningsstod", "--process", "utredning",
              "-C", handbook)
    assert run.returncode == 0, run.stderr
    written = Path(run.stdout.strip())
    try:
        assert "id: EB-RUT-002\n" in written.read_text(encoding="utf-8")
        review = cli("review", "LS-RUT-001", "-C", handbook, "--dry-run", "--today", "2027-01-10")
        assert review.returncode == 0 and "+last_reviewed: 2027-01-10" in review.stdout
    finally:
        written.unlink()


@pytest.mark.parametrize("ci", CI_CHOICES)
def test_ci_files_parse_and_name_only_real_keys(tmp_path: Path, ci: str) -> None:
    root = tmp_path / ci
    init_handbook(root, "Exempelby", ci, DAY)
    ci_files = {".github/workflows/handbok.yml", ".gitlab-ci.yml", "azure-pipelines.yml"}
    present = {rel for rel in ci_files if (root / rel).exists()}
    if ci == "none":
        assert present == set()
        return
    assert len(present) == 1
    data = _yaml(root / present.pop())
    for script in _scripts(data):
        syntax = subprocess.run(["bash", "-n", "-c", script], capture_output=True, text=True)
        assert syntax.returncode == 0, (script, syntax.stderr)
    if ci == "github":
        _check_github(data)
    elif ci == "gitlab":
        _check_gitlab(data)
    else:
        _check_azure(data)


def _scripts(value: Any) -> list[str]:
    """Every shell script of a CI file (run, script, before_script)."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if key in ("run", "script", "before_script"):
                out += [item] if isinstance(item, str) else list(item)
            else:
                out += _scripts(item)
        return out
    if isinstance(value, list):
        return [s for item in value for s in _scripts(item)]
    return []


def _check_github(data: dict[Any, Any]) -> None:
    keys = {"on" if k is True else k for k in data}  # YAML 1.1 reads `on` as true
    assert keys <= GITHUB_TOP and {"on", "jobs"} <= keys
    trigger = data[True]
    assert set(trigger) <= {"push", "pull_request", "workflow_dispatch", "schedule"}
    assert trigger["schedule"] and all("cron" in s for s in trigger["schedule"])  # rebuilt nightly
    for job in data["jobs"].values():
        assert set(job) <= GITHUB_JOB and job["runs-on"] == "ubuntu-latest"
        runs = []
        for step in job["steps"]:
            assert set(step) <= GITHUB_STEP and ("uses" in step) != ("run" in step)
            if "uses" in step:
                assert step["uses"] in GITHUB_ACTIONS
                assert set(step.get("with", {})) <= GITHUB_ACTIONS[step["uses"]]
            else:
                runs.append(step["run"])
        text = "\n".join(runs)
        assert "--format github" in text and "--base" in text and "mkdocs build" in text
        assert "${{" not in text  # expressions reach the shell through env, not the script


def _check_gitlab(data: dict[str, Any]) -> None:
    jobs = {k: v for k, v in data.items() if k not in GITLAB_GLOBAL}
    assert set(data["default"]) <= GITLAB_DEFAULT
    assert "pages" in jobs
    for job in jobs.values():
        assert set(job) <= GITLAB_JOB and job["stage"] in data["stages"]
        reports = job.get("artifacts", {}).get("reports", {})
        assert set(reports) <= GITLAB_REPORTS
    check = jobs["handbok-kontroll"]
    assert check["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json",
                                             "junit": "handbok-junit.xml"}
    assert "--base" in "\n".join(check["script"])
    assert jobs["pages"]["artifacts"]["paths"] == ["public"]
    assert any("schedule" in rule.get("if", "") for rule in jobs["pages"]["rules"])  # nightly, when scheduled


def _check_azure(data: dict[str, Any]) -> None:
    assert set(data) <= AZURE_TOP
    for step in data["steps"]:
        assert set(step) <= AZURE_STEP and len(set(step) & AZURE_STEP_KINDS) == 1
        if "task" in step:
            assert step["task"] in AZURE_TASKS
            assert set(step["inputs"]) <= AZURE_TASKS[step["task"]]
    publish = next(s for s in data["steps"] if s.get("task") == "PublishTestResults@2")
    assert publish["condition"] == "succeededOrFailed()"
    scripts = "\n".join(s["script"] for s in data["steps"] if "script" in s)
    assert "--base" in scripts and "--format junit" in scripts
    assert data["schedules"][0]["always"] is True and data["schedules"][0]["cron"]  # rebuilt nightly


def test_pre_commit_files() -> None:
    hooks = _yaml(REPO / ".pre-commit-hooks.yaml")
    allowed = {"id", "name", "entry", "language", "files", "exclude", "types", "types_or", "exclude_types",
               "always_run", "fail_fast", "verbose", "pass_filenames", "require_serial", "description",
               "language_version", "minimum_pre_commit_version", "args", "stages"}
    assert [h["id"] for h in hooks] == ["handbok-check"]
    assert set(hooks[0]) <= allowed and hooks[0]["entry"].startswith("handbok check")
    for config in (_yaml(REPO / ".pre-commit-config.yaml"),
                   yaml.safe_load(planned_files("X", "none", DAY)[".pre-commit-config.yaml"])):
        hook = config["repos"][0]["hooks"][0]
        assert hook["id"] == "handbok-check" and set(hook) <= allowed
        assert hook["entry"] == hooks[0]["entry"]


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path, cli: RunCli) -> None:
    (tmp_path / "hb").mkdir()
    (tmp_path / "hb" / "mkdocs.yml").write_text("site_name: min\n", encoding="utf-8")
    run = cli("init", tmp_path / "hb")
    assert run.returncode == 2 and "inte tom" in run.stderr
    assert [p.name for p in (tmp_path / "hb").iterdir()] == ["mkdocs.yml"]
    assert (tmp_path / "hb" / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: min\n"
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    assert cli("init", tmp_path / "fil").returncode == 2
    with pytest.raises(InitError):
        init_handbook(tmp_path / "ny", "Rad\nbrytning", "none", DAY)
    assert not (tmp_path / "ny").exists()


def test_from_a_wheel_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    """The package stands alone: built as a wheel, installed into a new virtual environment
    (its dependencies lent from this one), `init`, `check` and `mkdocs build` work without
    this repository (requirements, templates and the guide come from the wheel)."""
    source = tmp_path / "src"
    shutil.copytree(REPO, source, symlinks=False, ignore=shutil.ignore_patterns(
        ".venv", ".git", ".hypothesis", "node_modules", "site", "build", "*.egg-info", "__pycache__"))
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source), "-w", str(wheels)],
                           capture_output=True, text=True, timeout=600)
    if built.returncode != 0:
        pytest.skip(f"no wheel could be built here (no network for the build backend?): {built.stderr[-300:]}")
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True, timeout=120)
    python = fresh / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    (Path(purelib) / "deps.pth").write_text(deps + "\n", encoding="utf-8")
    wheel = next(wheels.glob("handbok-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("HANDBOK_TODAY", "PYTHONPATH")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    where = subprocess.run([str(python), "-c", "import handbok; print(handbok.__file__)"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, check=True).stdout
    assert where.startswith(str(fresh))
    handbook = tmp_path / "ny"
    handbok = fresh / "bin" / "handbok"
    run = subprocess.run([str(handbok), "init", str(handbook), "--ci", "gitlab"], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (handbook / "docs/guide/skriva-styrdokument.md").stat().st_size > 10_000
    check = subprocess.run([str(handbok), "check", str(handbook), "--fail-on", "error"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, timeout=120)
    assert check.returncode == 0, check.stdout
    build = subprocess.run([str(python), "-m", "mkdocs", "build", "--strict", "-q"], capture_output=True, text=True,
                           env=env, cwd=handbook, timeout=300)
    assert build.returncode == 0, build.stderr
    assert "Kvalitetshandbok för kommunen" in (handbook / "site/index.html").read_text(encoding="utf-8")
