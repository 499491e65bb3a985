"""Every command the README shows exists: make targets, manage.py commands, programs and the files they name."""
import re
import shlex
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
MAKE_TARGETS = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M))
VENV_BIN = Path(sys.executable).parent
# Programs the README runs that come from elsewhere (the system, PostgreSQL's client tools, Docker).
OUTSIDE = {"export", "cp", "curl", "createdb", "dropdb", "docker"}


def _commands():
    """Every command of the README's shell blocks (comments dropped, ``&&`` split, variables skipped)."""
    for block in BLOCKS:
        for line in block.splitlines():
            for command in re.split(r"&&|;", re.sub(r"\s+#.*$", "", line)):
                words = shlex.split(command)
                while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                    words.pop(0)
                if words:
                    yield words


def _manage_py_commands():
    """``manage.py`` subcommands the README names, in shell blocks or inline."""
    inline = re.findall(r"`(?:\S*python )?manage\.py ([a-z_0-9]+)", README)
    blocks = [words[words.index("manage.py") + 1] for words in _commands() if "manage.py" in words]
    return sorted(set(inline + blocks))


def test_the_readme_shows_commands():
    assert len(list(_commands())) > 20 and len(_manage_py_commands()) > 5


@pytest.mark.parametrize("name", _manage_py_commands())
def test_every_manage_py_command_exists(name):
    assert name in get_commands()


@pytest.mark.parametrize("words", list(_commands()), ids=" ".join)
def test_every_program_and_file_exists(words):
    program, *args = words
    if program == "make":
        assert set(arg for arg in args if "=" not in arg) <= MAKE_TARGETS
    elif program.startswith(".venv/bin/"):
        assert (VENV_BIN / Path(program).name).exists(), program  # installed by make install
    else:
        assert program in OUTSIDE, f"{program}: not a program this project installs or the README says where it comes from"
    if program == "cp":
        assert (ROOT / args[0]).exists()
    for arg in args:  # the scripts and folders a command is given
        if re.fullmatch(r"[\w.-]+(/[\w.-]+)*\.(py|json|toml|lock|example)|sample_data/[\w/.-]+|benchmarks/[\w/.-]+", arg):
            assert (ROOT / arg).exists(), arg


def test_every_make_target_named_inline_exists():
    named = set(re.findall(r"`(?:[A-Z_]+=\S+ )*make ([a-z-]+)`", README))
    assert named and named <= MAKE_TARGETS


def test_every_variable_the_settings_read_is_in_the_configuration_section():
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_0-9]+)"', (ROOT / "djpackages" / "settings.py").read_text()))
    section = README.split("## Configuration", 1)[1].split("\n### ", 1)[0]
    shown = set(re.findall(r"`([A-Z_0-9]+)[`=]", section))
    shown |= {f"RATE_LIMIT{suffix}" for suffix in re.findall(r"`(_[A-Z]+)`", section)}  # `RATE_LIMIT_GITHUB`, `_GITLAB`, ...
    assert read - shown == set()
