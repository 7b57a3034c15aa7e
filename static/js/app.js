// BPO Select's own scripts. Loaded as a file so the Content-Security-Policy can forbid inline script.
