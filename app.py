"""nnviz: `streamlit run app.py`. A small router; the pages live in `pages/`."""

from pathlib import Path

from nnviz import ui

ui.run_app(Path(__file__).parent)
