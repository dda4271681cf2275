"""What the student sees, and no maths: plotting helpers, the Explorer and its controls, and the
exercise checkers' shared machinery (Feedback). Imports only from `helpers.core`.
"""
