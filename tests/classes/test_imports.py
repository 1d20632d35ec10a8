"""The class store is a plain package: the pages call it, it never calls them."""

import subprocess
import sys


def test_the_class_store_loads_without_streamlit_or_plotly():
    code = (
        "import sys, nnviz.classes, nnviz.classes.qr, nnviz.classes.export; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
