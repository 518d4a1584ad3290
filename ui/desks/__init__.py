"""The desks (台): one module each, composed by the main window according to the user's roles."""
