"""Messages as platform-neutral values, and the composers that build every post and reply."""
