import streamlit as st

from nnviz.ui import classes as ui

ui.setup_page()

visit = ui.open_class()
if visit.projector:
    ui.projector_view(visit)
else:
    st.title("Class" if visit.info is None else f"Class {visit.code}", anchor=False)
    st.caption(
        "A class works together: students join with a code and a nickname, add their "
        "handwriting to the class set and hand in their runs; the teacher watches it arrive."
    )
    if visit.teacher is not None:
        ui.invite_panel(visit)
        ui.teacher_live(visit)
        ui.class_set_tools(visit)
        ui.delete_class(visit)
    elif visit.member is not None:
        ui.student_view(visit)
    elif visit.info is not None:
        ui.join_form(visit)
    else:
        ui.start_or_join()
