"""The class hub's pieces: the Class page (`from nnviz.ui import classes as ui`), and the one
call each of Draw a digit, Playground, Compare runs and Classroom makes for a joined student
(`add_to_class_set`, `hand_in_run`). The banner on every page comes from `setup_page`."""

from nnviz.ui.app import setup_page
from nnviz.ui.classes.actions import add_to_class_set, hand_in_run
from nnviz.ui.classes.entry import join_form, start_or_join, student_view
from nnviz.ui.classes.invite import invite_panel, projector_view
from nnviz.ui.classes.teacher import teacher_live
from nnviz.ui.classes.tools import class_set_tools, delete_class
from nnviz.ui.classes.visit import open_class
