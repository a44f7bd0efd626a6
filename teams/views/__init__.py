"""Team pages: ``pages`` for members, ``manage`` for managers' forms, ``dashboard`` for the
manager dashboard, member reviews and the CSV export."""
