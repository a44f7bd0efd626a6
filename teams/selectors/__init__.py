"""What team pages and dashboards read, one module per concept (import the modules directly).

Courses and labs are read only through their own selectors, so every count here comes from
their public read functions.
"""
