"""How the frozen build is made (onewindow.spec) and checked (smoke.py)."""
