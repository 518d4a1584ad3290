"""Printed documents (DESIGN §4): layout templates, PDF building, archive and audit. Qt-free."""
