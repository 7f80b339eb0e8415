"""Hallway's conference domain: agenda models, importers, search and question answering.

Nothing here imports botbuilder or aiohttp: the answers are plain functions of
(question, catalogue, now), testable and portable to another bot SDK.
"""
