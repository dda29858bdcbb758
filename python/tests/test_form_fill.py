"""`magvar form fill` read back by independent tools: every field of every
corpus form filled with a valid value of its kind (the CLI, as an
incremental update and as a rewrite), then read by pikepdf (libqpdf's field
helpers) and by pypdf, which must both give back the values given.

pikepdf and pypdf come from PyPI (.ci/run installs them); the test fails
rather than skips without them."""

import json
import pathlib
import re
import subprocess

import pikepdf
import pypdf
import pytest

from conftest import REPOSITORY

CORPUS = REPOSITORY / "pdfform" / "tests" / "corpus"
FORMS = sorted(CORPUS.glob("*.pdf"))
TOO_LONG = re.compile(r'field "(.*)": the value has \d+ characters, over its limit of (\d+)')
ONE_VALUE = re.compile(r'field "(.*)" takes one value')


def fields(magvar_bin, path):
    out = subprocess.run(
        [magvar_bin, "form", "fields", str(path)], capture_output=True, check=True, text=True
    )
    return json.loads(out.stdout)["fields"]


def generated_values(form_fields):
    """A valid value of its kind for every field that takes one, different
    from its own where it can be (as pdfform/tests/common does)."""
    values = {}
    for index, field in enumerate(form_fields):
        name, kind, current = field["name"], field["kind"], field["value"]
        if name in values:
            continue
        if kind == "text":
            values[name] = f"Filled {index} Zoë"
        elif kind in ("checkbox", "radio"):
            others = [s for s in field["states"] if s and s != current]
            values[name] = others[0] if others else "Off"
        elif kind in ("combo", "list") and field["options"]:
            exports = []
            for option in field["options"]:
                if not exports or exports[-1] != option["export"]:
                    exports.append(option["export"])
            if kind == "list" and len(exports) >= 2:
                values[name] = [exports[-1], exports[0]]
            else:
                others = [e for e in reversed(exports) if e != current]
                values[name] = others[0] if others else exports[0]
    return values


def fill(magvar_bin, form, values, output, *flags):
    """Fills; values over /MaxLen are cut and single-select lists get one
    item, as the CLI's problem list says, then it fills again."""
    for _ in range(2):
        data = output.with_suffix(".json")
        data.write_text(json.dumps(values))
        run = subprocess.run(
            [magvar_bin, "form", "fill", str(form), "--data", str(data), "-o", str(output),
             "--force", *flags],
            capture_output=True, text=True,
        )
        if run.returncode == 0:
            return values
        assert run.returncode == 1, run.stderr
        for name, limit in TOO_LONG.findall(run.stderr):
            values[name] = values[name][: int(limit)]
        for name in ONE_VALUE.findall(run.stderr):
            values[name] = values[name][0]
    raise AssertionError(run.stderr)


def plain(value):
    """A tool's value as `magvar form fields` states it."""
    if isinstance(value, (list, tuple, pikepdf.Array)):
        items = [str(item) for item in value if str(item)]
        return None if not items else items[0] if len(items) == 1 else items
    if value is None:
        return None
    text = str(value)
    if text.startswith("/"):
        text = text[1:]
    return text or None


def wanted(field_kind, value):
    if field_kind in ("checkbox", "radio"):
        return value if value else "Off"
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value or None


def pikepdf_values(path):
    with pikepdf.open(path) as pdf:
        return {
            field.fully_qualified_name: plain(field.value)
            for field in pdf.acroform.fields
        }


def pypdf_values(path):
    reader = pypdf.PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    return {name: plain(field.get("/V")) for name, field in (reader.get_fields() or {}).items()}


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
@pytest.mark.parametrize("mode", ["update", "rewrite"])
def test_pikepdf_and_pypdf_read_back_every_value(magvar_bin, tmp_path, form, mode):
    form_fields = fields(magvar_bin, form)
    kinds = {f["name"]: f["kind"] for f in form_fields}
    output = tmp_path / "filled.pdf"
    flags = ("--rewrite",) if mode == "rewrite" else ()
    values = fill(magvar_bin, form, generated_values(form_fields), output, *flags)
    for tool, read in (("pikepdf", pikepdf_values(output)), ("pypdf", pypdf_values(output))):
        for name, value in values.items():
            expected = wanted(kinds[name], value)
            got = read.get(name, "missing")
            if kinds[name] in ("checkbox", "radio") and got is None:
                got = "Off"
            assert got == expected, f"{form.name}: {tool} reads {name!r} as {got!r}"


def test_an_update_keeps_the_original_bytes(magvar_bin, tmp_path):
    form = CORPUS / "pdfjs_160F-2019.pdf"
    output = tmp_path / "filled.pdf"
    fill(magvar_bin, form, generated_values(fields(magvar_bin, form)), output)
    assert output.read_bytes().startswith(form.read_bytes())
    with pikepdf.open(output) as pdf:
        assert pdf.check_pdf_syntax() == []
