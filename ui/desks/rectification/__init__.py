"""差评整改: the supervisor's desk for 差评 rectification tasks."""
