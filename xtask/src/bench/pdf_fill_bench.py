"""pypdf's form filling on the same form and values as magvar, for `cargo
xtask bench pdf` (run in target/bench-pdf, a venv with pypdf). Prints one
JSON line: {"per_s": forms filled and written a second}.

    python pdf_fill_bench.py one FORM.pdf VALUES.json
        one form: read it from memory, fill the values (appearance streams
        generated, as pypdf does by default), write it to memory; the best
        of repeated runs after a warm-up.
    python pdf_fill_bench.py many FORM.pdf ROWS.json OUT_DIR
        a list of value sets, each filled and written to its own file in
        OUT_DIR, one after another (pypdf has no parallel mode).
"""

import io
import json
import pathlib
import sys
import time

from pypdf import PdfReader, PdfWriter


def fill(form, values):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form)))
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, values)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main():
    mode, form_path, data_path = sys.argv[1:4]
    form = pathlib.Path(form_path).read_bytes()
    data = json.loads(pathlib.Path(data_path).read_text())
    if mode == "one":
        fill(form, data)
        best, runs, started = float("inf"), 0, time.perf_counter()
        while runs < 3 or time.perf_counter() - started < 3.0:
            t = time.perf_counter()
            fill(form, data)
            best = min(best, time.perf_counter() - t)
            runs += 1
        rate = 1.0 / best
    else:
        out_dir = pathlib.Path(sys.argv[4])
        out_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        for index, values in enumerate(data):
            (out_dir / f"{index + 1}.pdf").write_bytes(fill(form, values))
        rate = len(data) / (time.perf_counter() - started)
    print(json.dumps({"per_s": rate}))


main()
