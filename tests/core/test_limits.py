"""The limits are named once and described in words for the pages that take uploads."""

import pytest

from nnviz.core import limits


def test_each_upload_kind_is_described_with_its_limits():
    assert limits.describe("csv") == "at most 50 MB, 20,000 rows, 50 classes"
    assert limits.describe("image") == "at most 10 MB and 4096×4096 pixels"
    assert limits.describe("model") == (
        "at most 50 MB, 8 layers with weights of at most 4,096 units, 4,000,000 parameters"
    )
    with pytest.raises(ValueError, match="choose one of: csv, image, model"):
        limits.describe("video")


def test_limits_leave_room_for_what_nnviz_itself_makes():
    # the Train page's largest model: 784 → 3 × 512 → 10
    largest = 784 * 512 + 512 + 2 * (512 * 512 + 512) + 512 * 10 + 10
    assert largest <= limits.MODEL_PARAMETERS
    assert limits.MODEL_WEIGHT_LAYERS >= 4 and limits.MODEL_UNITS >= 512
    # the parameters of the largest allowed model fit the unpacked-size limit as float64
    assert 8 * limits.MODEL_PARAMETERS + 4 * limits.MODEL_RECORD_CHARS <= (
        limits.MODEL_UNPACKED_BYTES
    )
    assert limits.CSV_ROW_CHARS >= limits.CSV_FIELD_CHARS and limits.CSV_LINES >= limits.CSV_ROWS
