"""管理: users and roles, the catalogue in force, the centre's settings (admin)."""
