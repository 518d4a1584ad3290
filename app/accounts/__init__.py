"""Accounts: users and roles, passwords, sign-in, and who may see a full ID number."""
