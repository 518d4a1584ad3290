"""Showing the item catalogue: its model, the item view, the browser the desks embed."""
