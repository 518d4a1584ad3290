"""PySide6 desktop. The only package that imports Qt; nothing imports it."""
