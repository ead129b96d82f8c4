"""The proposal form is built from the draft models, which come from the descriptors: a field added to the
``.proto`` gets its editor (with the gov JSON spelling) and round-trips through the form with no GUI edit."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from ics_workbench.gui.panels.proposals.form import ModelForm
from tests.proposals.helpers import ALICE
from tests.proposals.synthetic_schema import extended_models


def test_form_shows_and_reads_fields_added_to_the_descriptor(qtbot) -> None:
    built = extended_models()
    create = built.messages["MsgCreateConsumer"]
    pss = built.models["PowerShapingParameters"]
    form = ModelForm(create)
    qtbot.addWidget(form)
    widgets = form.field_widgets()
    assert {"launch_note", "grace_period", "power_shaping_parameters.max_stake"} <= set(widgets)
    msg = create(submitter=ALICE, chain_id="new-1", launch_note="hello", grace_period=5_000_000_000,
                 power_shaping_parameters=pss(max_stake=12))
    form.set_value(msg)
    grace = widgets["grace_period"]
    assert isinstance(grace, QLineEdit) and grace.text() == "5s"  # the gov JSON spelling of a Duration
    grace.setText("90s")
    errors: dict[str, str] = {}
    back = form.read(errors)
    assert errors == {}
    assert back is not None and back.grace_period == 90_000_000_000
    assert back.launch_note == "hello"
    assert back.power_shaping_parameters.max_stake == 12
    widgets["power_shaping_parameters.max_stake"].setText("x")
    errors = {}
    form.read(errors)
    assert "power_shaping_parameters.max_stake" in errors
