"""Every limit on what a user can hand the server, named once.

One nnviz server serves a whole class, so a file or a drawing from one student must cost at most
a clear message: never gigabytes of memory or a frozen process. Each limit below is checked from
headers, counts and declared sizes *before* the expensive work (parsing, inflating, allocating),
and `describe` turns them into the short text a page shows next to its uploader.

The numbers leave room for everything nnviz itself makes: the Playground's CSVs, the models the
Train page can save (784 → up to 3 × 512 → 10, under a million parameters) and phone photos of a
digit.
"""

from __future__ import annotations

from nnviz.core.registry import lookup

MB = 1_000_000

UPLOAD_BYTES = 50 * MB
"""Any uploaded file: Streamlit's own default (200 MB) would let one file fill the server."""

# --- CSV datasets (nnviz.datasets.csv) -----------------------------------------------------

CSV_BYTES = UPLOAD_BYTES
"""A CSV file's size, checked before a byte is parsed."""

CSV_ROWS = 20_000
"""Data rows: the Playground trains live and redraws every point; beyond this it crawls."""

CSV_LINES = 2 * CSV_ROWS
"""Physical lines, blank ones included: blank lines cost parsing time but add no row."""

CSV_CLASSES = 50
"""Distinct class labels: a softmax over thousands of classes is not a 2-D lesson, and its
output layer and charts grow with every class."""

CSV_FIELD_CHARS = 10_000
"""Characters in one cell: a number or a class name needs a few dozen."""

CSV_ROW_CHARS = 100_000
"""Characters in one row, checked line by line before the csv module builds the row's cells
(a single line of a million short cells would otherwise become a million Python strings)."""

# --- Pictures of a digit (nnviz.datasets.drawing, nnviz.datasets.strokes) ------------------

IMAGE_BYTES = 10 * MB
"""An uploaded picture's file size: a phone photo of one digit needs a few MB."""

IMAGE_SIDE = 4096
"""Pixels along either side, read from the header before decoding: a 12000 × 12000 PNG is
0.6 MB on disk but 576 MB as RGBA pixels."""

IMAGE_MIN_SIDE = 8
"""Pixels along the shorter side of an uploaded picture: fewer cannot show a digit (MNIST's
are 28 × 28), so a 1 × 1 upload is told so instead of getting no answer."""

IMAGE_METADATA_BYTES = 1 << 20
"""Decompressed size of one PNG text or colour-profile chunk (zTXt, iCCP). This is Pillow's own
limit (`PngImagePlugin.MAX_TEXT_CHUNK`), named here so the message can say it."""

CANVAS_OBJECTS = 100
"""Strokes in canvas data: a digit takes a handful."""

CANVAS_POINTS = 5_000
"""Path commands over all strokes (a slowly drawn digit has a few hundred); each becomes up to
five sampled points, and drawing them is the cost that grows."""

CANVAS_COORDINATE = 100_000.0
"""Largest |coordinate|, offset, scale or angle in canvas data: the canvas is 280 px wide, and
a larger number would only make the re-rendered image huge."""

CANVAS_PEN = 200.0
"""Widest pen (`strokeWidth`, px) in canvas data: drawing cost grows with the pen's area."""

# --- Model files (nnviz.core.serialization) ------------------------------------------------

MODEL_BYTES = UPLOAD_BYTES
"""A model file's size on disk."""

MODEL_MEMBERS = 64
"""Arrays in the `.npz` archive, counted from the zip's end record before its directory is read:
a model with the largest allowed number of layers holds far fewer."""

MODEL_UNPACKED_BYTES = 64 * MB
"""The archive's total declared uncompressed size, checked before anything is inflated: a 2 MB
zip of zeros can declare gigabytes. The largest allowed model needs 32 MB (float64)."""

MODEL_RECORD_CHARS = 100_000
"""Characters in the JSON architecture record (the shipped model's has about 1,200)."""

MODEL_RECORD_DEPTH = 20
"""Nesting depth of the JSON record, checked on its text before parsing (the record uses 4)."""

MODEL_LAYERS = 32
"""Layers of any kind, activations and dropout included: each costs time on every prediction."""

MODEL_WEIGHT_LAYERS = 8
"""Layers with weights (Dense, convolutions)."""

MODEL_UNITS = 4_096
"""Units (outputs) of one Dense layer."""

MODEL_PARAMETERS = 4_000_000
"""Numbers in all weights and biases, counted from the record before any layer is built:
32 MB as float64, about 128 MB once training adds a gradient and Adam's two moments."""

MODEL_SAMPLE_VALUES = 131_072
"""Values one layer outputs per sample (units, or height × width × channels): every layer's
output for a batch is held during a forward pass."""


# --- Data files on the server (nnviz.datasets.idx) -------------------------------------------

IDX_BYTES = 100 * MB
"""Decompressed data in one IDX file, checked from its header: MNIST's largest holds 47 MB, and
a gzip of zeros with a lying header must not be inflated whole."""


def describe(kind: str) -> str:
    """The limits on one kind of upload in words, for the page that takes it.

    `describe("csv")` → "at most 50 MB, 20,000 rows, 50 classes". Kinds: "csv", "image",
    "model".
    """
    return lookup(_DESCRIPTIONS, kind, "upload kind")


_DESCRIPTIONS = {
    "csv": f"at most {CSV_BYTES // MB} MB, {CSV_ROWS:,} rows, {CSV_CLASSES} classes",
    "image": f"at most {IMAGE_BYTES // MB} MB and {IMAGE_SIDE}×{IMAGE_SIDE} pixels",
    "model": (
        f"at most {MODEL_BYTES // MB} MB, {MODEL_WEIGHT_LAYERS} layers with weights of at most "
        f"{MODEL_UNITS:,} units, {MODEL_PARAMETERS:,} parameters"
    ),
}
