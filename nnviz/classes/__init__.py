"""The class hub's store: classes, students, their drawings and handed-in runs, in a database.

No streamlit and no plotly here: the Class page and the class buttons on Draw, Playground,
Compare and Classroom call this package. SQLite by default, PostgreSQL when `NNVIZ_CLASS_DB`
is a `postgresql://` URL (see `backend`). `handwriting` reads the class set through a digit
model (accuracy, the hardest drawings, fine-tuning a copy on part of it).
"""

from nnviz.classes.codes import ALPHABET, CODE_LENGTH, normalize_code
from nnviz.classes.errors import ClassError
from nnviz.classes.export import (
    class_set_csv,
    class_set_idx,
    class_set_zip,
    drawing_arrays,
    idx_file_names,
)
from nnviz.classes.handwriting import (
    MIN_TUNE,
    ClassSetReading,
    ClassTuning,
    read_class_set,
    split_class_set,
    tune_on_class_set,
)
from nnviz.classes.limits import DEFAULT_EXPIRE_DAYS, Limits
from nnviz.classes.qr import join_link, join_qr_png, join_qr_svg
from nnviz.classes.records import (
    ClassInfo,
    ClassSummary,
    Drawing,
    HandedRun,
    NewClass,
    Student,
    StudentStatus,
)
from nnviz.classes.store import ClassStore
