"""The pure core of nianbao: report model, formats, rules engine, importers and renderers.

Nothing here imports temporalio, aiogram or sqlmodel; everything is testable in microseconds.
"""
