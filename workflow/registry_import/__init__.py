"""Batch import of the counselor registry from spreadsheets.

The modules follow an upload through its stages: ``files`` recognises and
bounds the raw file, ``reading`` finds the header and streams the rows,
``normalising`` turns each cell into a registry value, ``validating``
checks every row against the registry's rules and plans what to write,
``annotating`` marks the problems in a copy of the workbook, and
``batches`` stores uploads and commits a plan in one transaction.
"""
