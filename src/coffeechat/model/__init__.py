"""What a note is: keys, people, companies, names, settings. Values in, values out, no I/O."""
