# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django import forms


class UtrechtFormMixin:
    """Give widgets the NL Design System (Utrecht) classes and mark required fields for AT."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = widget.attrs.get("class", "")
            if isinstance(widget, forms.Textarea):
                css += " utrecht-textarea"
            elif isinstance(widget, forms.Select):
                css += " utrecht-select utrecht-select--html-select"
            elif isinstance(widget, forms.CheckboxInput):
                css += " utrecht-checkbox utrecht-checkbox--html-input"
            else:
                css += " utrecht-textbox utrecht-textbox--html-input"
            widget.attrs["class"] = css.strip()
            if field.required:
                widget.attrs["aria-required"] = "true"
