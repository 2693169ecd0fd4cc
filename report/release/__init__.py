"""Release: reproducible releases (`report release`) and their verification (`report verify`)."""
