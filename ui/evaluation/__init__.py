"""好差评 at the window: the resident-facing 评价器 and the hook the desks call after a service."""
