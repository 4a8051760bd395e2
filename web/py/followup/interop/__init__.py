"""Moving in and out: vCard, LinkedIn, Google and mapped CSV in; JSON backup, vCard, iCalendar and
CSV out. Text in, values out: the shell reads and writes the files, nothing here touches I/O.
"""
