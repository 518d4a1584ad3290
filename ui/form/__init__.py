"""The form renderer (表单) and the materials checklist (材料清单) used at the front desk."""

from ui.form.form_view import FormView
from ui.form.materials_checklist import MaterialsChecklist

__all__ = ["FormView", "MaterialsChecklist"]
